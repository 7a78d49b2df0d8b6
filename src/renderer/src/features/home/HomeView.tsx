// Home: three tasks, one click each; a chosen file gets the right task proposed (signed -> verify).
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FileDescription } from '../../../../shared/model/app-ipc'
import { Icon } from '../../components/Icon'
import { ErrorMessage } from '../../components/ErrorMessage'
import { ReadingProgress } from '../../components/ReadingProgress'
import { asUiError, call, type UiError } from '../../lib/ipc'
import type { Navigate } from '../../lib/route'

export function HomeView({ navigate, dropped }: { navigate: Navigate; dropped: string[] }) {
  const { t } = useTranslation()
  const [files, setFiles] = useState<FileDescription[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UiError | null>(null)

  const describe = async (paths: string[]) => {
    if (paths.length === 0) return
    setBusy(true)
    try {
      setFiles(await call('describeFiles', { paths }))
    } catch (err) {
      setError(asUiError(err))
    } finally {
      setBusy(false)
    }
  }

  useEffect(() => {
    if (dropped.length > 0) void describe(dropped)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const choose = async () => {
    setError(null)
    try {
      await describe(await call('chooseFiles', { purpose: 'sign', multiple: true }))
    } catch (err) {
      setError(asUiError(err))
    }
  }

  const signed = files?.filter((f) => f.signed) ?? []
  const unsigned = files?.filter((f) => !f.signed) ?? []

  return (
    <div className="home">
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.lead')}</p>
      <div className="tasks">
        <button type="button" className="task" onClick={() => navigate({ view: 'sign' })} data-testid="task-sign">
          <span className="task-icon"><Icon name="sign" /></span>
          <span className="task-name">{t('home.sign')}</span>
          <span className="task-help">{t('home.signHelp')}</span>
        </button>
        <button type="button" className="task" onClick={() => navigate({ view: 'verify' })} data-testid="task-verify">
          <span className="task-icon"><Icon name="verify" /></span>
          <span className="task-name">{t('home.verify')}</span>
          <span className="task-help">{t('home.verifyHelp')}</span>
        </button>
        <button type="button" className="task" onClick={() => navigate({ view: 'certificates' })} data-testid="task-certificates">
          <span className="task-icon"><Icon name="key" /></span>
          <span className="task-name">{t('home.certificates')}</span>
          <span className="task-help">{t('home.certificatesHelp')}</span>
        </button>
      </div>
      <p>
        <button type="button" className="link-button" onClick={() => navigate({ view: 'journal' })}>
          {t('home.journal')}
        </button>
      </p>
      <section className="card drop-zone" aria-labelledby="home-file-title">
        <h2 id="home-file-title">{t('home.fileTitle')}</h2>
        <p>{t('home.fileHelp')}</p>
        <button type="button" className="primary" onClick={() => void choose()} disabled={busy}>
          {t('home.chooseFile')}
        </button>
        <p role="status" className="status">
          {busy ? <ReadingProgress label={t('home.reading')} /> : ''}
        </p>
        {error ? <ErrorMessage error={error} /> : null}
        {files ? (
          <div className="proposals" data-testid="home-proposal">
            {signed.length > 0 ? (
              <div className="proposal">
                <p>{t('home.signedFiles', { count: signed.length, name: signed[0]!.name })}</p>
                <button type="button" className="primary" onClick={() => navigate({ view: 'verify', files: signed.map((f) => f.path) })}>
                  {t('home.verifyThese', { count: signed.length, name: signed[0]!.name })}
                </button>
              </div>
            ) : null}
            {unsigned.length > 0 ? (
              <div className="proposal">
                <p>{t('home.unsignedFiles', { count: unsigned.length, name: unsigned[0]!.name })}</p>
                <button type="button" className="primary" onClick={() => navigate({ view: 'sign', files: unsigned.map((f) => f.path) })}>
                  {t('home.signThese', { count: unsigned.length })}
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
      </section>
    </div>
  )
}
