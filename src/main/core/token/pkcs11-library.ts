/**
 * One loaded PKCS#11 module (a vendor middleware .so/.dll/.dylib), through pkcs11js.
 * Loading is where real installations fail first, so every failure is classified in plain words.
 */
import { existsSync, realpathSync, statSync } from 'node:fs'
import * as pkcs11js from 'pkcs11js'
import type { ModuleFailureCode } from '../../../shared/model/token'

export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError'
  constructor(
    readonly code: ModuleFailureCode,
    message: string,
  ) {
    super(message)
  }
}

/** Translate a dlopen / C_Initialize failure into a cause a person can act on. */
export function classifyLoadFailure(path: string, err: unknown): ModuleLoadError {
  const raw = err instanceof Error ? err.message : String(err)
  if (/wrong ELF class|incompatible architecture|mach-o, but wrong architecture/i.test(raw)) {
    return new ModuleLoadError('wrong-architecture', `${path} is not built for this computer's architecture (${raw})`)
  }
  if (/cannot open shared object file|Library not loaded|specified module could not be found/i.test(raw) && existsSync(path)) {
    return new ModuleLoadError('missing-dependency', `${path} needs another library that is not installed (${raw})`)
  }
  if (/C_GetFunctionList|undefined symbol|symbol not found|file too short|invalid ELF header|not a valid Win32/i.test(raw)) {
    return new ModuleLoadError('not-pkcs11', `${path} is not a PKCS#11 library (${raw})`)
  }
  return new ModuleLoadError('load-failed', `${path} could not be loaded (${raw})`)
}

export interface LibraryInfo {
  manufacturer: string
  description: string
  version: string
  cryptokiVersion: string
}

const trimPadded = (s: string): string => s.replace(/\0/g, '').trim()

/**
 * An initialised module. `close()` finalises and unloads it; callers own its lifetime.
 * Sessions and PIN handling build on `api` (pkcs11js object) in the token layer.
 */
export class Pkcs11Library {
  /**
   * dlopen hands back the same module for the same file, so a second C_Initialize is refused and one
   * holder's C_Finalize would kill every other holder's sessions (a listing closing a signer's login).
   * Holders therefore share one instance per real path; the module is finalised by the last close().
   */
  private static readonly loaded = new Map<string, Pkcs11Library>()
  private holders = 1

  private constructor(
    readonly path: string,
    readonly realPath: string,
    readonly api: pkcs11js.PKCS11,
  ) {}

  /** Load + C_Initialize (or share the already loaded module). Throws ModuleLoadError with a classified cause. */
  static open(path: string): Pkcs11Library {
    if (!existsSync(path)) throw new ModuleLoadError('missing-file', `${path} does not exist`)
    if (!statSync(path).isFile()) throw new ModuleLoadError('not-pkcs11', `${path} is not a file`)
    const shared = Pkcs11Library.loaded.get(realpathSync(path))
    if (shared) {
      shared.holders++
      return shared
    }
    const lib = Pkcs11Library.load(path)
    Pkcs11Library.loaded.set(lib.realPath, lib)
    return lib
  }

  private static load(path: string): Pkcs11Library {
    const api = new pkcs11js.PKCS11()
    try {
      api.load(path)
    } catch (err) {
      throw classifyLoadFailure(path, err)
    }
    try {
      // OS locking: middlewares that spawn threads (OpenSC, vendor drivers) need it.
      api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK })
    } catch (err) {
      const code = (err as { code?: number }).code
      if (code !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        try {
          api.close()
        } catch {
          /* already failing: keep the first error */
        }
        throw new ModuleLoadError('initialize-failed', `${path}: C_Initialize failed (${(err as Error).message})`)
      }
    }
    return new Pkcs11Library(path, realpathSync(path), api)
  }

  info(): LibraryInfo {
    const i = this.api.C_GetInfo()
    return {
      manufacturer: trimPadded(i.manufacturerID),
      description: trimPadded(i.libraryDescription),
      version: `${i.libraryVersion.major}.${i.libraryVersion.minor}`,
      cryptokiVersion: `${i.cryptokiVersion.major}.${i.cryptokiVersion.minor}`,
    }
  }

  /** true while at least one holder has not closed it */
  get isOpen(): boolean {
    return this.holders > 0
  }

  close(): void {
    if (this.holders <= 0) return
    this.holders--
    if (this.holders > 0) return
    Pkcs11Library.loaded.delete(this.realPath)
    try {
      this.api.C_Finalize()
    } finally {
      this.api.close()
    }
  }
}

export { trimPadded }
