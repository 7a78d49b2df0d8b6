// The secret-code field and the last-try confirmation shared by the PIN dialog (signing) and the
// PIN change / PUK unblock forms: no autocomplete, bounded length, the tries line as description.
import { useId } from 'react'
import { useTranslation } from 'react-i18next'

export function PinField({ label, value, onChange, autoFocus, describedBy }: { label: string; value: string; onChange(v: string): void; autoFocus?: boolean; describedBy?: string }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" autoComplete="off" maxLength={64} value={value} autoFocus={autoFocus} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}

/** "Last try: a wrong code locks the card" and the checkbox that must be ticked before submitting. */
export function LastTryConfirm({ codeName, checked, onChange, testId }: { codeName: string; checked: boolean; onChange(v: boolean): void; testId?: string }) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className="last-try" data-testid={testId}>
      <p className="error">{t('pin.lastTryWarning', { code: codeName })}</p>
      <label htmlFor={id} className="checkbox">
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {t('pin.lastTryConfirm')}
      </label>
    </div>
  )
}
