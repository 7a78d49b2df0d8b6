// Preview of one file before signing: PES summary (raw XML one click away), or name/type/size/SHA-256.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FileDescription } from '../../../../shared/model/app-ipc'
import { formatAmount, formatSize } from '../../lib/format'

export function FileFacts({ file }: { file: FileDescription }) {
  const { t } = useTranslation()
  return (
    <dl className="facts facts-column" data-testid="file-facts">
      <div>
        <dt>{t('file.name')}</dt>
        <dd>{file.name}</dd>
      </div>
      <div>
        <dt>{t('file.type')}</dt>
        <dd>{t(`file.kind.${file.kind}`)}</dd>
      </div>
      <div>
        <dt>{t('file.size')}</dt>
        <dd>{formatSize(file.size)}</dd>
      </div>
      <div>
        <dt>{t('file.sha256')}</dt>
        <dd>
          <code>{file.sha256}</code>
        </dd>
      </div>
      {file.pageCount !== null ? (
        <div>
          <dt>{t('file.pages')}</dt>
          <dd>{file.pageCount}</dd>
        </div>
      ) : null}
    </dl>
  )
}

export function PesPreview({ file }: { file: FileDescription }) {
  const { t } = useTranslation()
  const [raw, setRaw] = useState<string | null>(null)
  const [rawError, setRawError] = useState<string | null>(null)
  const pes = file.pes!
  const showRaw = async () => {
    const answer = await window.paraphe.readText({ path: file.path })
    if (answer.ok) setRaw(answer.value.text)
    else setRawError(answer.error.message)
  }
  return (
    <div className="pes-preview" data-testid="pes-summary">
      <dl className="facts">
        <div>
          <dt>{t('pes.collectivite')}</dt>
          <dd>{pes.collectivite ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('pes.budget')}</dt>
          <dd>{pes.budget ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('pes.exercice')}</dt>
          <dd>{pes.exercice ?? '—'}</dd>
        </div>
      </dl>
      <table className="table">
        <caption>{t('pes.bordereaux', { count: pes.bordereaux.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('pes.number')}</th>
            <th scope="col">{t('pes.type')}</th>
            <th scope="col">{t('pes.amount')}</th>
            <th scope="col">{t('pes.pieces')}</th>
            <th scope="col">{t('pes.signed')}</th>
          </tr>
        </thead>
        <tbody>
          {pes.bordereaux.map((b, i) => (
            <tr key={`${b.id ?? ''}-${i}`} data-testid="pes-bordereau">
              <th scope="row">{b.number ?? b.id ?? '—'}</th>
              <td>{b.type ?? '—'}</td>
              <td>{formatAmount(b.amount)}</td>
              <td>{b.pieceCount}</td>
              <td>{b.signed ? <span className="badge badge-warning">{t('pes.alreadySigned')}</span> : t('pes.notSigned')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details onToggle={(e) => (e.currentTarget.open && raw === null ? void showRaw() : undefined)}>
        <summary>{t('pes.raw')}</summary>
        {rawError ? <p className="error">{rawError}</p> : <pre className="raw" tabIndex={0} aria-label={t('pes.raw')} data-testid="pes-raw">{raw ?? t('preview.loading')}</pre>}
      </details>
      <FileFacts file={file} />
    </div>
  )
}
