// While the chosen files are read (type, signature marker, SHA-256), how far along: a 1 GB file
// takes seconds, and a status that does not move looks like a hang.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DescribeProgress } from '../../../shared/model/app-ipc'
import { baseName } from '../lib/format'

/** `label`: what to say before the first report (small files never report). */
export function ReadingProgress({ label }: { label: string }) {
  const { t } = useTranslation()
  const [progress, setProgress] = useState<DescribeProgress | null>(null)
  useEffect(() => window.paraphe.onDescribeProgress(setProgress), [])
  if (!progress) return <>{label}</>
  const percent = progress.bytes > 0 ? Math.floor((100 * progress.bytesDone) / progress.bytes) : 100
  return (
    <>
      {t('sign.readingFile', { name: baseName(progress.path), percent, index: progress.index + 1, files: progress.files })}{' '}
      <progress max={progress.bytes} value={progress.bytesDone} aria-label={label} data-testid="reading-progress" />
    </>
  )
}
