/**
 * JavaScript for a child script: `isOneByte(s)`, whether V8 holds the string with one byte per
 * character (the tag the V8 serializer writes for it, after any alignment padding).
 */
export const IS_ONE_BYTE = "const isOneByte = (s) => { const b = require('v8').serialize(s); let i = 2; while (b[i] === 0) i++; return b[i] === 0x22; };";
