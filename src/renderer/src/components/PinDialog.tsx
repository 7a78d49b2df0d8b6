// The reusable PIN dialog: tries left BEFORE the first attempt, an explicit confirmation for the
// last try, what to do when the PIN is locked (PUK route), pinpad mode (no field), and for a batch
// whether one PIN serves every file. The PIN lives only in this component's state until submitted.
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { PinCounter } from '../../../shared/model/pin'
import { Modal } from './Modal'

export interface PinRequest {
  tokenLabel: string
  purpose: 'login' | 'signature' | 'current-pin' | 'new-pin' | 'puk' | 'so-pin'
  pinpad: boolean
  counter: PinCounter | null
  lastTry: boolean
}

export interface PinDialogProps {
  request: PinRequest
  /** batch context: how many files, and whether the key asks for the PIN at every signature */
  /** pinPerSignature null: not known yet (before the session login, the key's attributes may be hidden) */
  batch?: { total: number; pinPerSignature: boolean | null } | null
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

export function PinDialog({ request, batch, onSubmit, onCancel }: PinDialogProps) {
  const { t } = useTranslation()
  const [pin, setPin] = useState('')
  const [confirm, setConfirm] = useState(false)
  const pinId = useId()
  const confirmId = useId()
  const hintId = useId()
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
      {batch && batch.total > 1 ? (
        <p className="pin-batch" data-testid="pin-batch">
          {batch.pinPerSignature === true
            ? t('pin.perSignature', { count: batch.total })
            : batch.pinPerSignature === false
              ? t('pin.oncePerBatch', { count: batch.total })
              : t('pin.oncePerBatchUnlessCard', { count: batch.total })}
        </p>
      ) : batch?.pinPerSignature ? (
        <p className="pin-batch" data-testid="pin-batch">
          {t('pin.perSignatureOne')}
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
            <div className="field">
              <label htmlFor={pinId}>{codeName}</label>
              <input
                id={pinId}
                type="password"
                autoComplete="off"
                autoFocus
                value={pin}
                maxLength={64}
                aria-describedby={hintId}
                onChange={(e) => setPin(e.target.value)}
              />
            </div>
          )}
          {lastTry ? (
            <div className="last-try" data-testid="last-try">
              <p className="error">{t('pin.lastTryWarning', { code: codeName })}</p>
              <label htmlFor={confirmId} className="checkbox">
                <input id={confirmId} type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} />
                {t('pin.lastTryConfirm')}
              </label>
            </div>
          ) : null}
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
