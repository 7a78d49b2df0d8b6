/**
 * The part of the pcsclite package Paraphe uses, declared here so the native module can be loaded
 * lazily (require at call time) while the code stays typed.
 */
import type { EventEmitter } from 'node:events'

export interface CardReader extends EventEmitter {
  readonly name: string
  readonly state: number
  readonly connected: boolean
  readonly SCARD_SHARE_SHARED: number
  readonly SCARD_STATE_PRESENT: number
  readonly SCARD_STATE_EMPTY: number
  readonly SCARD_STATE_CHANGED: number
  readonly SCARD_LEAVE_CARD: number
  connect(options: { share_mode?: number; protocol?: number }, cb: (err: unknown, protocol: number) => void): void
  disconnect(disposition: number, cb: (err: unknown) => void): void
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, response: Buffer) => void): void
  close(): void
}

export interface PCSCLite extends EventEmitter {
  close(): void
}
