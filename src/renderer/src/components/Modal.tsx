// Native modal <dialog>: showModal() makes the rest of the page inert (focus stays inside) and
// Escape fires "cancel", which we route to onClose. Chromium closes a dialog opened without user
// activation (a PIN prompt sent by the engine) on Escape WITHOUT a cancel event: that "close" goes to
// onClose too, or the app would wait for an answer from a dialog nobody sees. Focus returns where it
// was on close.
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
    let unmounting = false
    const onCancel = (e: Event) => {
      e.preventDefault()
      closeRef.current()
    }
    const onNativeClose = () => {
      if (!unmounting) closeRef.current()
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
    dialog.addEventListener('close', onNativeClose)
    dialog.addEventListener('keydown', onKey)
    return () => {
      unmounting = true
      dialog.removeEventListener('keydown', onKey)
      dialog.removeEventListener('close', onNativeClose)
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
