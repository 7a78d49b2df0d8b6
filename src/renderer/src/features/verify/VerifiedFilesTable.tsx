// Several files verified at once (an agent's morning mail): one row per file with its verdict in a
// word, the progress while it runs, and "Voir le détail" to show that file's full report below.
import { useTranslation } from 'react-i18next'
import type { InvokeValue } from '../../../../shared/contract'
import type { ValidationReport } from '../../../../shared/model/validation'
import type { Tone } from '../../components/Banner'
import { baseName } from '../../lib/format'
import type { UiError } from '../../lib/ipc'

export type VerifyAnswer = InvokeValue<'verifyFile'>

export interface VerifiedFile {
  path: string
  state: 'waiting' | 'running' | 'done' | 'failed' | 'stopped'
  answer: VerifyAnswer | null
  error: UiError | null
}

/** The file's verdict in one tone and one key (the banner's texts use the same keys). */
export function verdict(r: ValidationReport): { tone: Tone; key: string } {
  if (r.fileType === 'unsupported') return { tone: 'danger', key: 'unsupported' }
  if (r.integrity === 'unsigned' || r.signatures.length === 0) return { tone: 'danger', key: 'unsigned' }
  if (r.integrity === 'broken' || r.signatures.some((s) => s.indication === 'TOTAL_FAILED')) return { tone: 'danger', key: 'invalid' }
  if (r.integrity === 'modified') return { tone: 'warning', key: 'modified' }
  if (r.integrity === 'partial') return { tone: 'warning', key: 'partial' }
  if (r.integrity === 'intact' && r.trust === 'trusted' && r.signatures.every((s) => s.indication === 'TOTAL_PASSED')) return { tone: 'ok', key: 'valid' }
  return { tone: 'warning', key: 'incomplete' }
}

export function VerifiedFilesTable({ files, shown, onShow }: { files: VerifiedFile[]; shown: string | null; onShow: (path: string) => void }) {
  const { t } = useTranslation()
  const done = files.filter((f) => f.state === 'done' || f.state === 'failed').length
  const counts = { ok: 0, warning: 0, danger: 0 }
  for (const f of files) if (f.answer) counts[verdict(f.answer.report).tone as keyof typeof counts]++
  return (
    <section className="card" aria-labelledby="verify-batch-title" data-testid="verify-batch">
      <h2 id="verify-batch-title">{t('verify.batch.title', { count: files.length })}</h2>
      <p data-testid="verify-batch-summary">{t('verify.batch.summary', { done, total: files.length, ok: counts.ok, warning: counts.warning, danger: counts.danger })}</p>
      <table className="table">
        <caption className="visually-hidden">{t('verify.batch.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('verify.batch.file')}</th>
            <th scope="col">{t('verify.batch.result')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('verify.batch.action')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const v = f.answer ? verdict(f.answer.report) : null
            const name = baseName(f.path)
            return (
              <tr key={f.path} data-testid="verify-batch-row" aria-current={shown === f.path ? 'true' : undefined}>
                <td>{name}</td>
                <td>
                  {v ? (
                    <span className={`badge badge-${v.tone}`} data-tone={v.tone}>
                      {t(`verify.short.${v.key}`)}
                    </span>
                  ) : f.state === 'failed' ? (
                    <span className="badge badge-danger" data-tone="danger">
                      {t('verify.short.error')}
                    </span>
                  ) : (
                    <span className="muted">{t(`verify.batch.state.${f.state}`)}</span>
                  )}
                  {f.error ? <span className="small"> {f.error.message}</span> : null}
                </td>
                <td>
                  {f.answer ? (
                    <button type="button" onClick={() => onShow(f.path)} aria-label={t('verify.batch.showNamed', { name })} aria-pressed={shown === f.path}>
                      {t('verify.batch.show')}
                    </button>
                  ) : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
