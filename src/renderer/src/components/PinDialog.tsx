// The reusable PIN dialog: tries left BEFORE the first attempt, an explicit confirmation for the
// last try, what to do when the PIN is locked (PUK route), pinpad mode (no field), and for a batch
// whether one PIN serves every file (the prompt's pinScope, decided by the engine). The PIN lives
// only in this component's state until submitted.
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { PinCounter } from '../../../shared/model/pin'
import { Modal } from './Modal'
import { LastTryConfirm, PinField } from './PinField'

export interface PinRequest {
  tokenLabel: string
  purpose: 'login' | 'signature' | 'current-pin' | 'new-pin' | 'puk' | 'so-pin'
  pinpad: boolean
  counter: PinCounter | null
  lastTry: boolean
  /** signing: what this entry covers; 'unknown' before the login of a token that hides its keys */
  pinScope?: 'once-for-batch' | 'per-signature' | 'unknown'
  /** signing: how many files the batch has */
  fileCount?: number
}

/** What to say about the PIN for a signing batch, or null (not a signing prompt). */
export function pinScopeText(t: (k: string, o?: Record<string, unknown>) => string, request: Pick<PinRequest, 'pinScope' | 'fileCount'>): string | null {
  const count = request.fileCount ?? 0
  if (!request.pinScope || count < 1) return null
  if (count === 1) return request.pinScope === 'per-signature' ? t('pin.perSignatureOne') : null
  if (request.pinScope === 'per-signature') return t('pin.perSignature', { count })
  if (request.pinScope === 'once-for-batch') return t('pin.oncePerBatch', { count })
  return t('pin.oncePerBatchUnlessCard', { count })
}

export interface PinDialogProps {
  request: PinRequest
  onSubmit(answer: { pin: string | null; confirmLastTry: boolean }): void
  onCancel(): void
}

export function triesText(t: (k: string, o?: Record<string, unknown>) => string, counter: PinCounter | null): string {
  if (!counter) return t('pin.triesUnknown')
  if (counter.locked) return t('pin.locked')
  if (counter.triesLeft !== null) return counter.maxTries !== null ? t('pin.triesLeftOf', { count: counter.triesLeft, max: counter.maxTries }) : t('pin.triesLeft', { count: counter.triesLeft })
  if (counter.finalTry) return t('pin.finalTryFlag')
  if (counter.countLow) return t('pin.countLowFlag')
  return t('pin.triesFlagsOk')
}

export function PinDialog({ request, onSubmit, onCancel }: PinDialogProps) {
  const { t } = useTranslation()
  const [pin, setPin] = useState('')
  const [confirm, setConfirm] = useState(false)
  const hintId = useId()
  const scopeText = pinScopeText(t, request)
  const counter = request.counter
  const locked = counter?.locked === true
  const lastTry = request.lastTry || counter?.finalTry === true || counter?.triesLeft === 1
  const isPuk = request.purpose === 'puk' || request.purpose === 'so-pin'
  const codeName = isPuk ? t('pin.pukName') : t('pin.pinName')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (lastTry && !confirm) return
    if (!request.pinpad && pin.length === 0) return
    const value = request.pinpad ? null : pin
    setPin('')
    onSubmit({ pin: value, confirmLastTry: lastTry && confirm })
  }

  return (
    <Modal title={t(`pin.title.${request.purpose}`, { token: request.tokenLabel })} onClose={onCancel} className="pin-dialog" testId="pin-dialog">
      <p className="muted">{t('pin.token', { token: request.tokenLabel })}</p>
      {scopeText ? (
        <p className="pin-batch" data-testid="pin-batch" data-scope={request.pinScope}>
          {scopeText}
        </p>
      ) : null}
      {locked ? (
        <div data-testid="pin-locked">
          <p className="error">{t('pin.lockedTitle')}</p>
          <p>{t('pin.lockedTodo')}</p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onCancel}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <p className={lastTry ? 'tries tries-danger' : counter?.countLow ? 'tries tries-warning' : 'tries'} data-testid="pin-tries" id={hintId}>
            {triesText(t, counter)}
          </p>
          {request.pinpad ? (
            <p className="pinpad" data-testid="pinpad">
              {t('pin.pinpad')}
            </p>
          ) : (
            <PinField label={codeName} value={pin} onChange={setPin} autoFocus describedBy={hintId} />
          )}
          {lastTry ? <LastTryConfirm codeName={codeName} checked={confirm} onChange={setConfirm} testId="last-try" /> : null}
          <div className="dialog-actions">
            <button type="button" onClick={onCancel}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={(lastTry && !confirm) || (!request.pinpad && pin.length === 0)}>
              {request.pinpad ? t('pin.continue') : t('pin.validate')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
