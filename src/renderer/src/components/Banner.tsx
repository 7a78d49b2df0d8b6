import type { ReactNode } from 'react'

export type Tone = 'ok' | 'warning' | 'danger' | 'info'

/** A coloured message block; the tone is also said in words (icon text) for non-colour readers. */
export function Banner({ tone, title, children, testId, live }: { tone: Tone; title: string; children?: ReactNode; testId?: string; live?: boolean }) {
  const icon = tone === 'ok' ? '✔' : tone === 'warning' ? '⚠' : tone === 'danger' ? '✖' : 'ℹ'
  return (
    <div className={`banner banner-${tone}`} data-testid={testId} data-tone={tone} role={live ? (tone === 'danger' ? 'alert' : 'status') : undefined}>
      <span className="banner-icon" aria-hidden="true">
        {icon}
      </span>
      <div>
        <p className="banner-title">{title}</p>
        {children}
      </div>
    </div>
  )
}
