// the scanner catalog (submodule `security`)
export {};
