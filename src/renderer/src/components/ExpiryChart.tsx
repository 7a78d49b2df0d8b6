// Certificate expiry on one timeline (plain SVG): coloured zones for expired / < 30 days / < 90 days,
// one row per certificate from its start to its end. The same facts are given as a text list.
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { daysLeft, formatDate } from '../lib/format'

export interface ExpiryItem {
  id: string
  label: string
  notBefore: string
  notAfter: string
}

const DAY = 86_400_000
const ROW = 26
const LEFT = 220
const WIDTH = 900

export function ExpiryChart({ items, now = Date.now() }: { items: ExpiryItem[]; now?: number }) {
  const { t } = useTranslation()
  const titleId = useId()
  const descId = useId()
  if (items.length === 0) return <p>{t('chart.empty')}</p>
  const ends = items.map((i) => Date.parse(i.notAfter))
  const start = Math.min(now - 120 * DAY, ...ends.map((e) => e - 30 * DAY))
  const end = Math.max(now + 400 * DAY, ...ends.map((e) => e + 30 * DAY))
  const x = (ms: number) => LEFT + ((Math.min(Math.max(ms, start), end) - start) / (end - start)) * (WIDTH - LEFT - 10)
  const height = 40 + items.length * ROW + 24
  const years: number[] = []
  for (let y = new Date(start).getFullYear() + 1; Date.UTC(y, 0, 1) < end; y++) years.push(y)
  const sorted = [...items].sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter))

  return (
    <figure className="expiry-chart" data-testid="expiry-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} width="100%">
        <title id={titleId}>{t('chart.title')}</title>
        <desc id={descId}>{t('chart.desc', { count: items.length })}</desc>
        <rect x={x(start)} y={20} width={x(now) - x(start)} height={height - 44} className="zone-expired" />
        <rect x={x(now)} y={20} width={x(now + 30 * DAY) - x(now)} height={height - 44} className="zone-30" />
        <rect x={x(now + 30 * DAY)} y={20} width={x(now + 90 * DAY) - x(now + 30 * DAY)} height={height - 44} className="zone-90" />
        <text x={x(now)} y={14} className="chart-now" textAnchor="middle">
          {t('chart.today')}
        </text>
        <line x1={x(now)} x2={x(now)} y1={18} y2={height - 22} className="chart-now-line" />
        {years.map((y) => (
          <g key={y}>
            <line x1={x(Date.UTC(y, 0, 1))} x2={x(Date.UTC(y, 0, 1))} y1={20} y2={height - 22} className="chart-grid" />
            <text x={x(Date.UTC(y, 0, 1))} y={height - 8} textAnchor="middle" className="chart-axis">
              {y}
            </text>
          </g>
        ))}
        {sorted.map((item, i) => {
          const y = 30 + i * ROW
          const left = daysLeft(item.notAfter, now)
          const tone = left < 0 ? 'bar-expired' : left < 30 ? 'bar-30' : left < 90 ? 'bar-90' : 'bar-ok'
          return (
            <g key={item.id}>
              <text x={8} y={y + 12} className="chart-label">
                {item.label.length > 30 ? `${item.label.slice(0, 29)}…` : item.label}
              </text>
              <rect x={x(Date.parse(item.notBefore))} y={y + 2} width={Math.max(2, x(Date.parse(item.notAfter)) - x(Date.parse(item.notBefore)))} height={12} rx={3} className={tone} />
              <circle cx={x(Date.parse(item.notAfter))} cy={y + 8} r={5} className={tone} />
            </g>
          )
        })}
      </svg>
      <figcaption>
        <ul className="chart-legend" aria-label={t('chart.legend')}>
          <li>
            <span className="swatch zone-expired" aria-hidden="true" /> {t('chart.zoneExpired')}
          </li>
          <li>
            <span className="swatch zone-30" aria-hidden="true" /> {t('chart.zone30')}
          </li>
          <li>
            <span className="swatch zone-90" aria-hidden="true" /> {t('chart.zone90')}
          </li>
        </ul>
        <ul className="chart-text" data-testid="expiry-list">
          {sorted.map((item) => {
            const left = daysLeft(item.notAfter, now)
            return (
              <li key={item.id}>
                {t('chart.item', { label: item.label, text: left < 0 ? t('chart.itemExpired', { date: formatDate(item.notAfter) }) : t('chart.itemLeft', { date: formatDate(item.notAfter), count: left }) })}
              </li>
            )
          })}
        </ul>
      </figcaption>
    </figure>
  )
}
