// Native modal <dialog>: showModal() makes the rest of the page inert (focus stays inside) and
// Escape fires "cancel", which we route to onClose. Focus returns where it was on close.
import { useEffect, useId, useRef, type ReactNode } from 'react'

export function Modal({ title, onClose, children, className, testId }: { title: string; onClose: () => void; children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previous = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    const onCancel = (e: Event) => {
      e.preventDefault()
      closeRef.current()
    }
    // showModal() makes the page inert, but Tab can still leave the document (browser UI): cycle
    // through the dialog's own controls instead
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return
      const items = [...dialog.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])')].filter(
        (el) => !(el as HTMLButtonElement).disabled && el.offsetParent !== null,
      )
      if (items.length === 0) return
      const first = items[0]!
      const last = items[items.length - 1]!
      const active = document.activeElement
      if (e.shiftKey && (active === first || !dialog.contains(active))) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
        e.preventDefault()
        first.focus()
      }
    }
    dialog.addEventListener('cancel', onCancel)
    dialog.addEventListener('keydown', onKey)
    return () => {
      dialog.removeEventListener('keydown', onKey)
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      previous?.focus?.()
    }
  }, [])

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  )
}
