// "Voir la version signée": for a PDF signature that covers an earlier revision than the final file
// (changes after signing), the document exactly as the signer signed it. Main copies the signed
// revision to a private temp file; the preview reads it through readPdf like the sign screen does.
// The person can save that version (save dialog, then an atomic write by the engine).
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { InvokeValue } from '../../../../shared/contract'
import type { SignatureReport, ValidationReport } from '../../../../shared/model/validation'
import { verificationText } from '../../../../shared/verification-text'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Modal } from '../../components/Modal'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { baseName, formatSize } from '../../lib/format'
import { PdfPreview } from '../sign/PdfPreview'

type SignedVersion = InvokeValue<'extractSignedVersion'>

/** The signature signs a PDF revision that is not the whole final file. */
export function hasEarlierSignedVersion(report: ValidationReport, s: SignatureReport): boolean {
  return report.fileType === 'pdf' && s.coverage.kind === 'partial'
}

/** The button of a signature card, and the dialog it opens. Nothing for whole-file signatures. */
export function SignedVersionButton({ report, signature }: { report: ValidationReport; signature: SignatureReport }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  if (!hasEarlierSignedVersion(report, signature)) return null
  return (
    <p className="signed-version-action">
      <button type="button" onClick={() => setOpen(true)} data-testid="show-signed-version">
        {t('signedVersion.show')}
      </button>
      {open ? <SignedVersionDialog file={report.file} signature={signature} onClose={() => setOpen(false)} /> : null}
    </p>
  )
}

export function SignedVersionDialog({ file, signature, onClose }: { file: string; signature: SignatureReport; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const [version, setVersion] = useState<SignedVersion | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [page, setPage] = useState(1)
  const [saved, setSaved] = useState<string | null>(null)
  const [saveError, setSaveError] = useState<UiError | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    let cancelled = false
    void (async () => {
      try {
        const v = await call('extractSignedVersion', { path: file, signatureId: signature.id })
        if (!cancelled) setVersion(v)
      } catch (err) {
        if (!cancelled) setError(asUiError(err))
      }
    })()
    return () => {
      cancelled = true
      // the private copy of the signed revision is not kept once the dialog is gone
      void call('discardSignedVersion').catch(() => undefined)
    }
  }, [file, signature.id])

  const save = async () => {
    setSaved(null)
    setSaveError(null)
    try {
      const target = await call('chooseSavePath', { defaultName: `${baseName(file).replace(/\.pdf$/i, '')}-version-signee.pdf`, extensions: ['pdf'] })
      if (!target) return
      setSaving(true)
      // the save dialog has already asked before replacing an existing file
      const r = await call('extractSignedVersion', { path: file, signatureId: signature.id, saveTo: target, overwrite: true })
      setSaved(r.path)
    } catch (err) {
      setSaveError(asUiError(err))
    } finally {
      setSaving(false)
    }
  }

  const who = signature.signer?.commonName ?? signature.signer?.subject ?? t('verify.unknownSigner')
  return (
    <Modal title={t('signedVersion.title', { who })} onClose={onClose} className="signed-version-dialog" testId="signed-version-dialog">
      {error ? <ErrorMessage error={error} context={t('signedVersion.error')} /> : null}
      {!version && !error ? (
        <p role="status">{t('signedVersion.loading')}</p>
      ) : null}
      {version ? (
        <>
          <p data-testid="signed-version-which">
            {version.revision !== null
              ? t('signedVersion.which', { revision: version.revision, revisions: version.revisionCount, signed: formatSize(version.signedBytes), total: formatSize(version.fileSize) })
              : t('signedVersion.whichBytes', { signed: formatSize(version.signedBytes), total: formatSize(version.fileSize) })}
          </p>
          {signature.changesAfter.length > 0 ? (
            <>
              <p>{t('signedVersion.changedAfter')}</p>
              <ul className="changes small" data-testid="signed-version-changes">
                {signature.changesAfter.map((c, i) => (
                  <li key={i} className={c.allowed ? '' : 'error'}>
                    {c.allowed ? t('verify.changeAllowed') : t('verify.changeNotAllowed')} {verificationText(i18n.language, c.code, c.params, c.description)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('signedVersion.addedAfter', { added: formatSize(version.fileSize - version.signedBytes) })}</p>
          )}
          {signature.indication === 'TOTAL_FAILED' ? <p className="error">{t('signedVersion.invalidSignature')}</p> : null}
          {!version.exact ? <p className="warning-text">{t('signedVersion.notExact')}</p> : null}
          {!version.inFinal ? <p className="warning-text">{t('signedVersion.removed')}</p> : null}
          {version.path ? (
            <PdfPreview path={version.path} page={page} onPageChange={setPage} />
          ) : (
            <p className="warning-text">{t('signedVersion.tooLarge', { size: formatSize(version.signedBytes) })}</p>
          )}
        </>
      ) : null}
      <div className="dialog-actions">
        <span role="status" className="small" data-testid="signed-version-status">
          {saving ? t('signedVersion.saving') : saved ? t('signedVersion.saved', { path: saved }) : ''}
        </span>
        <button type="button" className="primary" onClick={() => void save()} disabled={!version || saving}>
          {t('signedVersion.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {saveError ? <ErrorMessage error={saveError} context={t('signedVersion.saveError')} /> : null}
    </Modal>
  )
}
