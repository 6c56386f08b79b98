/**
 * The normal form of a person id when waivers compare requester, approver and the pack's
 * approver list: Unicode NFKC, then case-folded, with invisible format characters removed, so
 * `Platform.Ana`, `ｐｌａｔｆｏｒｍ.ａｎａ` and `platform.\u200bana` are one person.
 *
 * TODO(identity): unify with the gate's approver identities (confusable skeletons) once both
 * live in one module.
 */
export function waiverIdentity(id: string): string {
  return id
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Cc}\s]/gu, '')
    .toLowerCase()
    .normalize('NFKC')
    .toLowerCase();
}

/** Whether two ids name the same person. */
export function sameIdentity(a: string, b: string): boolean {
  return waiverIdentity(a) === waiverIdentity(b);
}
