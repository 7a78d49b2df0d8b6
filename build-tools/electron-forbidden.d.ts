// tsconfig.shared.json and tsconfig.core.json map the module name "electron" to this file, which
// exports nothing: any `import ... from 'electron'` in src/shared or src/main/core fails to type-check
// ("has no exported member"), and `import 'electron'` for side effects is caught by
// test/unit/layering.test.ts. Core must run in plain Node (CLI, tests).
export {}
declare const electronIsForbiddenInCoreAndShared: never
export default electronIsForbiddenInCoreAndShared
