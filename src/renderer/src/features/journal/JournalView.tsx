// Journal: the signatures made on this computer, searchable, with the journal's integrity.
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { JournalView as Journal } from '../../../../shared/model/app-ipc'
import { Banner } from '../../components/Banner'
import { ErrorMessage } from '../../components/ErrorMessage'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { baseName, formatDateTime } from '../../lib/format'

export function JournalView() {
  const { t } = useTranslation()
  const [journal, setJournal] = useState<Journal | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [query, setQuery] = useState('')
  const searchId = useId()

  useEffect(() => {
    call('readJournal')
      .then(setJournal)
      .catch((err) => setError(asUiError(err)))
  }, [])

  const q = query.trim().toLowerCase()
  // what is on screen is searchable too: the date as shown, the format's name
  const haystack = (e: Journal['entries'][number]) => [e.inputPath, e.outputPath ?? '', e.signer, e.format, t(`format.${e.format}`, { defaultValue: e.format }), e.outcome, e.time, formatDateTime(e.time), e.inputSha256]
  const entries = (journal?.entries ?? []).filter((e) => !q || haystack(e).some((v) => v.toLowerCase().includes(q)))

  return (
    <div className="journal-view">
      <h1>{t('journal.title')}</h1>
      {error ? <ErrorMessage error={error} /> : null}
      {!journal && !error ? <p role="status">{t('journal.loading')}</p> : null}
      {journal ? (
        <>
          <Banner tone={journal.intact ? 'ok' : 'danger'} title={journal.intact ? t('journal.intact') : t('journal.notIntact')} testId="journal-integrity">
            {journal.problems.length > 0 ? (
              <ul>
                {journal.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : null}
            <p className="small muted">{t('journal.path', { path: journal.path })}</p>
          </Banner>
          <div className="field">
            <label htmlFor={searchId}>{t('journal.search')}</label>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <p role="status" className="status">
            {t('journal.count', { count: entries.length, total: journal.entries.length })}
          </p>
          {entries.length > 0 ? (
            <table className="table" data-testid="journal-table">
              <thead>
                <tr>
                  <th scope="col">{t('journal.when')}</th>
                  <th scope="col">{t('journal.file')}</th>
                  <th scope="col">{t('journal.format')}</th>
                  <th scope="col">{t('journal.signer')}</th>
                  <th scope="col">{t('journal.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {[...entries].reverse().map((e) => (
                  <tr key={e.seq} data-testid="journal-row">
                    <td>{formatDateTime(e.time)}</td>
                    <th scope="row">
                      {baseName(e.inputPath)}
                      {e.outputPath ? <div className="muted small">→ {baseName(e.outputPath)}</div> : null}
                    </th>
                    <td>
                      {t(`format.${e.format}`, { defaultValue: e.format })} · {e.level}
                    </td>
                    <td className="small" title={e.signer}>
                      {/CN=([^,]+)/.exec(e.signer)?.[1] ?? e.signer}
                    </td>
                    <td>
                      <span className={e.outcome === 'signed' ? 'badge badge-ok' : 'badge badge-danger'}>{t(`journal.outcomes.${e.outcome}`, { defaultValue: e.outcome })}</span>
                      {e.error ? <div className="small">{e.error}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{journal.entries.length === 0 ? t('journal.empty') : t('journal.noMatch')}</p>
          )}
        </>
      ) : null}
    </div>
  )
}
