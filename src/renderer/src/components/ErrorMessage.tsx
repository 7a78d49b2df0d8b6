import { useTranslation } from 'react-i18next'
import type { UiError } from '../lib/ipc'

/** What happened (plain words by error code) and what to do; the engine's own message as a detail. */
export function ErrorMessage({ error, context }: { error: UiError; context?: string }) {
  const { t } = useTranslation()
  const what = t(`errors.${error.code}`, { defaultValue: t('errors.generic') })
  const todo = t(`errorsTodo.${error.code}`, { defaultValue: t('errorsTodo.generic') })
  return (
    <div className="error-box" role="alert" data-testid="error">
      <p className="error">
        {context ? t('errors.inContext', { context, what }) : what}
      </p>
      <p>{todo}</p>
      <p className="muted small">
        {t('errors.detail')} {error.message}
      </p>
    </div>
  )
}
