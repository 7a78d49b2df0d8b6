// tsconfig.shared.json and tsconfig.core.json map the module name "electron" to this file, which
// exports nothing: any named or default import of 'electron' in src/shared or src/main/core fails to
// type-check ("has no exported member" / "has no default export"); a bare side-effect import is caught
// by test/unit/foundation/layering.test.ts. Core must run in plain Node (CLI, tests).
export {}
