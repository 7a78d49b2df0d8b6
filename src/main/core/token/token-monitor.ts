/**
 * Hot-plug: readers and cards come and go. Three sources, each optional:
 * - PC/SC (pcsclite): reader added/removed, card inserted/removed, ~0.2 s after the fact;
 * - USB (`usb` v2): attach/detach of tokens whose vendor id is in the middleware catalogue (USB
 *   tokens that are not PC/SC readers); needs /dev/bus/usb on Linux, absent in containers;
 * - polling C_GetSlotList on the configured modules: works for every module, also without PC/SC.
 * On a removal, signers on that token drop their session and forget their login (forgetToken).
 * Events carry names and ids only, never a PIN.
 */
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { knownUsbIds } from './module-candidates'
import { readerMatchesSlot } from './pcsc-counter'
import { watchPcsc, type ReaderStatus } from './pcsc-context'
import type { CardReader } from './pcsclite-types'
import { Pkcs11Library } from './pkcs11-library'
import { forgetTokens } from './pkcs11-signer'
import { readIdentity, type TokenIdentity } from './token-slot'

export type TokenEvent =
  | { type: 'reader-added'; reader: string }
  | { type: 'reader-removed'; reader: string }
  | { type: 'card-inserted'; reader: string; atr: string | null }
  | { type: 'card-removed'; reader: string }
  | { type: 'usb-attached'; vendorId: number; productId: number; name: string; module: string }
  | { type: 'usb-detached'; vendorId: number; productId: number; name: string; module: string }
  | { type: 'token-added'; modulePath: string; label: string; serialNumber: string; slotDescription: string }
  | { type: 'token-removed'; modulePath: string; label: string; serialNumber: string; slotDescription: string }

export type SourceState = { active: true } | { active: false; reason: string }

export interface TokenMonitorStatus {
  pcsc: SourceState
  usb: SourceState
  polling: SourceState
}

export interface TokenMonitorOptions {
  /** PKCS#11 modules to poll (read at each poll, so settings changes apply) */
  modulePaths?: () => string[]
  /** default 2000 ms; 0 disables polling */
  pollIntervalMs?: number
  pcsc?: boolean
  usb?: boolean
}

interface PresentToken {
  modulePath: string
  identity: TokenIdentity
}

const requireNative = createRequire(__filename)

/**
 * `monitor.on('event', (e: TokenEvent) => ...)`; `monitor.on('change', () => ...)` once per burst of
 * events (what the UI needs to refresh its listing).
 */
export class TokenMonitor extends EventEmitter {
  /** stops hearing the shared PC/SC context and detaches this monitor's reader listeners */
  private pcscStop: (() => void) | null = null
  private readerStates = new Map<string, number>()
  private pcscRetry: NodeJS.Timeout | null = null
  private pollTimer: NodeJS.Timeout | null = null
  private usbStop: (() => void) | null = null
  private libs = new Map<string, Pkcs11Library>()
  private present = new Map<string, PresentToken>()
  private changeTimer: NodeJS.Timeout | null = null
  private running = false
  readonly status: TokenMonitorStatus = {
    pcsc: { active: false, reason: 'not started' },
    usb: { active: false, reason: 'not started' },
    polling: { active: false, reason: 'not started' },
  }

  constructor(private readonly opts: TokenMonitorOptions = {}) {
    super()
  }

  start(): TokenMonitorStatus {
    if (this.running) return this.status
    this.running = true
    if (this.opts.pcsc !== false) this.startPcsc()
    else this.status.pcsc = { active: false, reason: 'disabled' }
    if (this.opts.usb !== false) this.startUsb()
    else this.status.usb = { active: false, reason: 'disabled' }
    const interval = this.opts.pollIntervalMs ?? 2000
    if (interval > 0 && this.opts.modulePaths) {
      this.poll(false)
      this.pollTimer = setInterval(() => this.poll(true), interval)
      this.pollTimer.unref()
      this.status.polling = { active: true }
    } else this.status.polling = { active: false, reason: interval > 0 ? 'no module to poll' : 'disabled' }
    return this.status
  }

  stop(): void {
    this.running = false
    if (this.pollTimer) clearInterval(this.pollTimer)
    if (this.pcscRetry) clearTimeout(this.pcscRetry)
    if (this.changeTimer) clearTimeout(this.changeTimer)
    this.pollTimer = this.pcscRetry = this.changeTimer = null
    this.closePcsc()
    this.usbStop?.()
    this.usbStop = null
    for (const lib of this.libs.values()) lib.close()
    this.libs.clear()
    this.failed.clear()
    this.present.clear()
  }

  /** Tokens seen by the last poll. */
  presentTokens(): PresentToken[] {
    return [...this.present.values()]
  }

  /** Poll now (also called after a PC/SC or USB event, so the token list follows quickly). */
  pollNow(): void {
    this.poll(true)
  }

  private emitEvent(e: TokenEvent): void {
    this.emit('event', e)
    if (e.type === 'card-removed') forgetTokens((id) => readerMatchesSlot(e.reader, id.slotDescription))
    if (e.type === 'token-removed') forgetTokens((id) => id.serialNumber === e.serialNumber && id.label === e.label)
    if (!this.changeTimer) {
      this.changeTimer = setTimeout(() => {
        this.changeTimer = null
        this.emit('change')
      }, 100)
      this.changeTimer.unref()
    }
  }

  // ---------- PC/SC ----------

  private startPcsc(): void {
    // The shared context (pcsc-context.ts) is never closed; stopping only detaches our listeners.
    const detach: Array<() => void> = []
    const watch = watchPcsc({
      reader: (reader, lastStatus) => detach.push(this.watchReader(reader, lastStatus)),
      error: (err) => {
        // pcscd stopped or restarted: the context is dead; watch a new one a bit later.
        this.status.pcsc = { active: false, reason: `PC/SC error (${String((err as Error)?.message ?? err)}); retrying` }
        this.closePcsc()
        if (this.running && !this.pcscRetry) {
          this.pcscRetry = setTimeout(() => {
            this.pcscRetry = null
            if (this.running) this.startPcsc()
          }, 2000)
          this.pcscRetry.unref()
        }
      },
    })
    if ('unavailable' in watch) {
      this.status.pcsc = { active: false, reason: watch.unavailable }
      return
    }
    this.status.pcsc = { active: true }
    this.pcscStop = () => {
      watch.stop()
      for (const d of detach.splice(0)) d()
    }
  }

  /** Follow one reader; returns what removes the listeners. */
  private watchReader(reader: CardReader, lastStatus: ReaderStatus | null): () => void {
    const name = reader.name
    // a reader already known when we started: its last status is the baseline, no event for it
    this.readerStates.set(name, lastStatus?.state ?? 0)
    this.emitEvent({ type: 'reader-added', reader: name })
    const onStatus = (status: ReaderStatus): void => {
      const before = this.readerStates.get(name) ?? 0
      const changes = before ^ status.state
      this.readerStates.set(name, status.state)
      if (!changes) return
      const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0
      const wasPresent = (before & reader.SCARD_STATE_PRESENT) !== 0
      if (present && !wasPresent) this.emitEvent({ type: 'card-inserted', reader: name, atr: status.atr ? status.atr.toString('hex') : null })
      else if (!present && wasPresent) this.emitEvent({ type: 'card-removed', reader: name })
      else return
      this.poll(true)
    }
    const onEnd = (): void => {
      if ((this.readerStates.get(name) ?? 0) & reader.SCARD_STATE_PRESENT) this.emitEvent({ type: 'card-removed', reader: name })
      this.readerStates.delete(name)
      this.emitEvent({ type: 'reader-removed', reader: name })
      this.poll(true)
    }
    reader.on('status', onStatus)
    reader.on('end', onEnd)
    return () => {
      reader.removeListener('status', onStatus)
      reader.removeListener('end', onEnd)
    }
  }

  private closePcsc(): void {
    const stop = this.pcscStop
    this.pcscStop = null
    this.readerStates.clear()
    stop?.()
  }


  // ---------- USB ----------

  private startUsb(): void {
    if (process.platform === 'linux' && !existsSync('/dev/bus/usb')) {
      this.status.usb = { active: false, reason: 'no /dev/bus/usb on this system (container or sandbox): USB tokens are seen through PC/SC and polling only' }
      return
    }
    let usb: { on: (e: string, l: (d: unknown) => void) => void; removeListener: (e: string, l: (d: unknown) => void) => void }
    try {
      usb = (requireNative('usb') as { usb: typeof usb }).usb
    } catch (err) {
      this.status.usb = { active: false, reason: `the USB library could not be loaded (${(err as Error).message})` }
      return
    }
    const known = knownUsbIds()
    const handler = (kind: 'usb-attached' | 'usb-detached') => (device: unknown) => {
      const d = (device as { deviceDescriptor?: { idVendor?: number; idProduct?: number } }).deviceDescriptor
      if (!d || d.idVendor === undefined || d.idProduct === undefined) return
      const match = known.find((k) => k.vendorId === d.idVendor && (k.productIds === null || k.productIds.includes(d.idProduct!)))
      if (!match) return
      this.emitEvent({ type: kind, vendorId: d.idVendor, productId: d.idProduct, name: match.name, module: match.module })
      // the middleware needs a moment to see a new token; poll now and once more shortly after
      this.poll(true)
      setTimeout(() => this.running && this.poll(true), 1000).unref()
    }
    const onAttach = handler('usb-attached')
    const onDetach = handler('usb-detached')
    try {
      usb.on('attach', onAttach)
      usb.on('detach', onDetach)
    } catch (err) {
      this.status.usb = { active: false, reason: `USB hot-plug is not supported here (${(err as Error).message})` }
      return
    }
    this.usbStop = () => {
      usb.removeListener('attach', onAttach)
      usb.removeListener('detach', onDetach)
    }
    this.status.usb = { active: true }
  }

  // ---------- polling ----------

  private failed = new Set<string>()

  private library(path: string): Pkcs11Library | null {
    const held = this.libs.get(path)
    if (held) return held
    if (this.failed.has(path)) return null
    try {
      const lib = Pkcs11Library.open(path)
      this.libs.set(path, lib)
      return lib
    } catch {
      // reported by the listing; not retried at every poll (a restart of the monitor tries again)
      this.failed.add(path)
      return null
    }
  }

  private poll(emit: boolean): void {
    if (!this.running || !this.opts.modulePaths) return
    const now = new Map<string, PresentToken>()
    for (const path of new Set(this.opts.modulePaths())) {
      const lib = this.library(path)
      if (!lib) continue
      let slots: Buffer[]
      try {
        slots = lib.api.C_GetSlotList(true)
      } catch {
        continue
      }
      for (const slot of slots) {
        try {
          const identity = readIdentity(lib, slot)
          now.set(`${path}\u0000${identity.serialNumber}\u0000${identity.label}`, { modulePath: path, identity })
        } catch {
          // removed between the two calls
        }
      }
    }
    const before = this.present
    this.present = now
    if (!emit) return
    const facts = (t: PresentToken) => ({ modulePath: t.modulePath, label: t.identity.label, serialNumber: t.identity.serialNumber, slotDescription: t.identity.slotDescription })
    for (const [key, t] of before) if (!now.has(key)) this.emitEvent({ type: 'token-removed', ...facts(t) })
    for (const [key, t] of now) if (!before.has(key)) this.emitEvent({ type: 'token-added', ...facts(t) })
  }
}
