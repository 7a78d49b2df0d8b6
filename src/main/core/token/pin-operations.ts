/**
 * PIN status, PIN change and PUK unblock. Every operation: one token at a time (runExclusive), the
 * counter read and shown before any attempt, the last try only with confirmation, one attempt per
 * call (never a retry), PINs wiped once the token has them.
 *
 * Unblock has two styles, as tokens differ:
 * - 'puk': C_SetPIN(PUK, newPIN) in a session without login. OpenSC does this only with
 *   `user_pin_unblock_style = set_pin_in_unlogged_session` in its configuration (OPENSC_CONF);
 *   without it the same call would present the PUK as the old user PIN and cost a PIN try, so
 *   Paraphe refuses to send it.
 * - 'so-pin': C_Login(CKU_SO) then C_InitPIN(newPIN) (SoftHSM2, HSMs, SafeNet/IDPrime admin PIN).
 */
import { existsSync, readFileSync } from 'node:fs'
import * as pkcs11js from 'pkcs11js'
import type { PinCounter, PinStatus } from '../../../shared/model/pin'
import { askPin, statusAfterFailure, type PinAttemptContext } from './pin-login'
import { resetCardVerifiedState } from './pcsc-counter'
import { readPinCounter, type ReadCounterOptions } from './pin-counter'
import { pinText, wipe, type PinProvider } from './pin-types'
import type { Pkcs11Library } from './pkcs11-library'
import { isRemovalError, pkcs11Code, technicalDetail, TokenError, tokenRemovedError } from './token-errors'
import { runExclusive } from './token-lock'
import { closeSessionQuietly, findTokenSlot, openLibrary, SESSION_RW, tokenKey, type TokenIdentity, type TokenSelector } from './token-slot'

export type UnblockStyle = 'puk' | 'so-pin'

export interface PinOperationOptions extends TokenSelector {
  counterOptions?: ReadCounterOptions
  env?: NodeJS.ProcessEnv
}

export interface PinStatusReport {
  modulePath: string
  token: Pick<TokenIdentity, 'label' | 'serialNumber' | 'manufacturer' | 'model' | 'slotDescription'>
  /** the user PIN */
  pin: PinCounter
  /** the unblocking code: PUK (PIV and most cards) or SO / administrator PIN */
  puk: PinCounter
  unblockStyle: UnblockStyle
}

/** OpenSC is the module whose unblock goes through C_SetPIN in an unlogged session. */
export function isOpenSc(lib: Pkcs11Library): boolean {
  try {
    return /opensc/i.test(lib.api.C_GetInfo().manufacturerID)
  } catch {
    return false
  }
}

export function defaultUnblockStyle(lib: Pkcs11Library): UnblockStyle {
  return isOpenSc(lib) ? 'puk' : 'so-pin'
}

/** Whether OpenSC's configuration turns C_SetPIN in an unlogged session into a PUK unblock. */
export function openScUnblockConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env['OPENSC_CONF'] || '/etc/opensc/opensc.conf'
  if (!existsSync(file)) return false
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .some((l) => /^user_pin_unblock_style\s*=\s*set_pin_in_unlogged_session\s*;?$/.test(l))
  } catch {
    return false
  }
}

async function withToken<T>(opts: PinOperationOptions, op: (ctx: PinAttemptContext, modulePath: string) => Promise<T>): Promise<T> {
  const lib = openLibrary(opts.modulePath)
  try {
    const { slot, identity } = findTokenSlot(lib, opts)
    return await runExclusive(tokenKey(lib, identity), async () => {
      try {
        return await op({ lib, slot, identity, counterOptions: opts.counterOptions }, opts.modulePath)
      } catch (err) {
        if (isRemovalError(err)) throw tokenRemovedError(identity.label, err)
        throw err
      }
    })
  } finally {
    lib.close()
  }
}

/** Both counters, read without presenting any PIN. */
export function readPinStatus(opts: PinOperationOptions): Promise<PinStatusReport> {
  return withToken(opts, async (ctx, modulePath) => {
    const pin = await readPinCounter(ctx.lib, ctx.slot, { ...ctx.counterOptions, pin: 'user' })
    const puk = await readPinCounter(ctx.lib, ctx.slot, { ...ctx.counterOptions, pin: 'puk' })
    const { label, serialNumber, manufacturer, model, slotDescription } = ctx.identity
    return { modulePath, token: { label, serialNumber, manufacturer, model, slotDescription }, pin, puk, unblockStyle: defaultUnblockStyle(ctx.lib) }
  })
}

/** Ask the new PIN and check its length against the token's limits before anything is sent. */
async function askNewPin(ctx: PinAttemptContext, provider: PinProvider): Promise<{ pin: Uint8Array } | PinStatus> {
  const answer = await provider({
    tokenLabel: ctx.identity.label,
    tokenSerial: ctx.identity.serialNumber,
    purpose: 'new-pin',
    pinpad: false,
    counter: null,
    lastTry: false,
  })
  if (!answer) return { status: 'cancelled' }
  if (!('pin' in answer)) return { status: 'new-pin-rejected', message: 'a new PIN must be typed (not on the PIN pad)' }
  const { minPinLength: min, maxPinLength: max } = ctx.identity
  const length = answer.pin.length
  if (length === 0 || (min > 0 && length < min) || (max > 0 && max >= min && length > max)) {
    wipe(answer.pin)
    return { status: 'new-pin-rejected', message: `the new PIN must have ${min} to ${max} characters` }
  }
  return { pin: answer.pin }
}

function newPinFailure(ctx: PinAttemptContext, err: unknown): Promise<PinStatus> | PinStatus {
  const code = pkcs11Code(err)
  if (code === pkcs11js.CKR_PIN_LEN_RANGE || code === pkcs11js.CKR_PIN_INVALID) {
    return { status: 'new-pin-rejected', message: `the token refused the new PIN (${technicalDetail(err)})` }
  }
  return statusAfterFailure(ctx, err)
}

/**
 * Change the user PIN: asks the current PIN (counted attempt, last-try rule) then the new one, logs
 * in and calls C_SetPIN. Returns the outcome; throws only for a missing token or module.
 */
export function changePin(opts: PinOperationOptions & { pinProvider: PinProvider }): Promise<PinStatus> {
  return withToken(opts, async (ctx) => {
    const gate = await askPin(ctx, opts.pinProvider, 'current-pin', { checkMustChange: false })
    if (!gate.proceed) return gate.status
    let newPin: Uint8Array | null = null
    let session: Buffer | null = null
    let loggedIn = false
    try {
      const asked = await askNewPin(ctx, opts.pinProvider)
      if (!('pin' in asked)) return asked
      newPin = asked.pin
      session = ctx.lib.api.C_OpenSession(ctx.slot, SESSION_RW)
      const old = gate.text()
      try {
        ctx.lib.api.C_Login(session, pkcs11js.CKU_USER, old)
        loggedIn = true
      } catch (err) {
        const code = pkcs11Code(err)
        // Already logged in (a signer of this app holds the login): C_SetPIN still checks the old
        // PIN, and the login is not ours to end. An expired PIN cannot log in; PKCS#11 changes it
        // from the public session instead.
        if (code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN && code !== pkcs11js.CKR_PIN_EXPIRED) return await statusAfterFailure(ctx, err)
      }
      try {
        ctx.lib.api.C_SetPIN(session, old, pinText(newPin))
      } catch (err) {
        return await newPinFailure(ctx, err)
      }
      return { status: 'ok' }
    } finally {
      gate.dispose()
      wipe(newPin)
      if (session && loggedIn) {
        try {
          ctx.lib.api.C_Logout(session)
        } catch {
          /* token gone */
        }
      }
      closeSessionQuietly(ctx.lib, session)
      // PIV cards keep the PIN verified after C_Logout: clear it (see resetCardVerifiedState)
      if (loggedIn && ctx.counterOptions?.cardCounter !== false) await resetCardVerifiedState(ctx.identity.slotDescription)
    }
  })
}

/**
 * Unblock (or reset) the user PIN with the PUK or the SO PIN, then set a new PIN. `style` defaults to
 * 'puk' on OpenSC and 'so-pin' elsewhere.
 */
export function unblockPin(opts: PinOperationOptions & { pinProvider: PinProvider; style?: UnblockStyle }): Promise<PinStatus> {
  return withToken(opts, async (ctx) => {
    const style = opts.style ?? defaultUnblockStyle(ctx.lib)
    if (style === 'puk' && isOpenSc(ctx.lib) && !openScUnblockConfigured(opts.env)) {
      throw new TokenError(
        'TOKEN_ERROR',
        'OpenSC is not configured for PUK unblock: set OPENSC_CONF to a configuration with `user_pin_unblock_style = set_pin_in_unlogged_session;` (nothing was sent to the card; without it the PUK would be taken as the old PIN and cost a PIN try)',
      )
    }
    const pukCtx: PinAttemptContext = { ...ctx, counterOptions: { ...ctx.counterOptions, pin: 'puk' } }
    const gate = await askPin(pukCtx, opts.pinProvider, style === 'puk' ? 'puk' : 'so-pin')
    if (!gate.proceed) return gate.status
    let newPin: Uint8Array | null = null
    let session: Buffer | null = null
    let soLoggedIn = false
    try {
      const asked = await askNewPin(ctx, opts.pinProvider)
      if (!('pin' in asked)) return asked
      newPin = asked.pin
      session = ctx.lib.api.C_OpenSession(ctx.slot, SESSION_RW)
      if (style === 'puk') {
        try {
          ctx.lib.api.C_SetPIN(session, gate.text(), pinText(newPin))
        } catch (err) {
          const code = pkcs11Code(err)
          if (code === pkcs11js.CKR_PIN_LEN_RANGE) return await newPinFailure(ctx, err)
          return await statusAfterFailure(pukCtx, err)
        }
        return { status: 'ok' }
      }
      try {
        ctx.lib.api.C_Login(session, pkcs11js.CKU_SO, gate.text())
        soLoggedIn = true
      } catch (err) {
        return await statusAfterFailure(pukCtx, err)
      }
      try {
        ctx.lib.api.C_InitPIN(session, pinText(newPin))
      } catch (err) {
        return await newPinFailure(ctx, err)
      }
      return { status: 'ok' }
    } finally {
      gate.dispose()
      wipe(newPin)
      if (session && soLoggedIn) {
        try {
          ctx.lib.api.C_Logout(session)
        } catch {
          /* token gone */
        }
      }
      closeSessionQuietly(ctx.lib, session)
    }
  })
}
