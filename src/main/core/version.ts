// Single place for the app version, taken from package.json (inlined by the bundler, read by tsx/vitest).
import pkg from '../../../package.json'
export const PARAPHE_VERSION: string = pkg.version
