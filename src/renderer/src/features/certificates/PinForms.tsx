// PIN change and PUK unblock dialogs: the new PIN typed twice, the last-try confirmation, and the
// outcome in plain words. Secrets stay in this component's state and are cleared after each attempt.
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { PinStatus } from '../../../../shared/model/pin'
import type { TokenDetails } from '../../../../shared/model/token-details'
import { Modal } from '../../components/Modal'
import { triesText } from '../../components/PinDialog'
import { LastTryConfirm, PinField } from '../../components/PinField'
import { ErrorMessage } from '../../components/ErrorMessage'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { tokenRef, type PinReport } from '../../lib/tokens'

export function pinStatusText(t: (k: string, o?: Record<string, unknown>) => string, s: PinStatus): string {
  switch (s.status) {
    case 'incorrect':
      return s.triesLeft !== null ? t('pinForm.incorrectLeft', { count: s.triesLeft }) : t('pinForm.incorrect')
    case 'new-pin-rejected':
      return t('pinForm.newPinRejected', { message: s.message })
    case 'device-error':
      return t('pinForm.deviceError', { message: s.message })
    default:
      return t(`pinForm.status.${s.status}`)
  }
}

export function PinChangeDialog({ mode, token, report, onDone, onClose }: { mode: 'change' | 'unblock'; token: TokenDetails; report: PinReport | null; onDone(): void; onClose(): void }) {
  const { t } = useTranslation()
  const [code, setCode] = useState('')
  const [newPin, setNewPin] = useState('')
  const [again, setAgain] = useState('')
  const [confirm, setConfirm] = useState(false)
  const [result, setResult] = useState<PinStatus | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [busy, setBusy] = useState(false)
  const hintId = useId()
  const counter = mode === 'change' ? (report?.pin ?? null) : (report?.puk ?? null)
  const soStyle = mode === 'unblock' && report?.unblockStyle === 'so-pin'
  const codeLabel = mode === 'change' ? t('pinForm.currentPin') : soStyle ? t('pinForm.soPin') : t('pinForm.puk')
  const lastTry = counter?.finalTry === true || counter?.triesLeft === 1
  const locked = counter?.locked === true
  const min = report?.pin.minPinLength ?? token.minPinLength
  const max = report?.pin.maxPinLength ?? token.maxPinLength
  const mismatch = again.length > 0 && newPin !== again
  const tooShort = newPin.length > 0 && min > 0 && newPin.length < min
  const tooLong = max > 0 && newPin.length > max
  const canSubmit = !busy && !locked && code.length > 0 && newPin.length > 0 && newPin === again && !tooShort && !tooLong && (!lastTry || confirm)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!canSubmit) return
    setBusy(true)
    setError(null)
    setResult(null)
    const secrets = { code, newPin }
    setCode('')
    setNewPin('')
    setAgain('')
    try {
      const status =
        mode === 'change'
          ? await call('changePin', { ...tokenRef(token), currentPin: secrets.code, newPin: secrets.newPin, confirmLastTry: lastTry && confirm })
          : await call('unblockPin', { ...tokenRef(token), unblockCode: secrets.code, newPin: secrets.newPin, ...(report ? { style: report.unblockStyle } : {}), confirmLastTry: lastTry && confirm })
      setResult(status)
      setConfirm(false)
    } catch (err) {
      setError(asUiError(err))
    } finally {
      setBusy(false)
      onDone()
    }
  }

  const title = mode === 'change' ? t('pinForm.changeTitle', { token: token.label }) : t('pinForm.unblockTitle', { token: token.label })
  return (
    <Modal title={title} onClose={onClose} testId={mode === 'change' ? 'change-pin-dialog' : 'unblock-dialog'}>
      {mode === 'unblock' ? <p>{soStyle ? t('pinForm.unblockSoHelp') : t('pinForm.unblockHelp')}</p> : null}
      <p id={hintId} className={lastTry || locked ? 'tries tries-danger' : 'tries'} data-testid="form-tries">
        {mode === 'unblock' ? t('pinForm.pukTries', { text: triesText(t, counter) }) : triesText(t, counter)}
      </p>
      {result ? (
        <p className={result.status === 'ok' ? 'success' : 'error'} role={result.status === 'ok' ? 'status' : 'alert'} data-testid="pin-form-result">
          {pinStatusText(t, result)}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {locked ? (
        <p className="error">{mode === 'change' ? t('pinForm.lockedChange') : t('pinForm.lockedPuk')}</p>
      ) : result?.status === 'ok' ? null : (
        <form onSubmit={(e) => void submit(e)}>
          <PinField label={codeLabel} value={code} onChange={setCode} autoFocus describedBy={hintId} />
          <PinField label={t('pinForm.newPin', { min, max })} value={newPin} onChange={setNewPin} />
          <PinField label={t('pinForm.newPinAgain')} value={again} onChange={setAgain} />
          {mismatch ? <p className="error">{t('pinForm.mismatch')}</p> : null}
          {tooShort || tooLong ? <p className="error">{t('pinForm.length', { min, max })}</p> : null}
          {lastTry ? <LastTryConfirm codeName={codeLabel} checked={confirm} onChange={setConfirm} /> : null}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={!canSubmit}>
              {mode === 'change' ? t('pinForm.changeSubmit') : t('pinForm.unblockSubmit')}
            </button>
          </div>
        </form>
      )}
      {locked || result?.status === 'ok' ? (
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      ) : null}
    </Modal>
  )
}
