// Focus after HTMX changes a list in place, so a keyboard or screen-reader user is not left behind:
// a button marked data-focus-new-row moves focus into the row it adds; a button marked
// data-focus-after-removal="<selector>" sends focus there once its own row is gone (else it falls to <body>).
export function manageSwapFocus (root) {
  root.addEventListener('htmx:afterSwap', (event) => {
    const button = event.detail.requestConfig && event.detail.requestConfig.elt
    if (!button || !button.hasAttribute('data-focus-new-row')) return
    const row = event.detail.target.lastElementChild
    const field = row && row.querySelector('input, select, textarea')
    if (field) field.focus()
  })
  root.addEventListener('htmx:beforeSwap', (event) => {
    const button = event.detail.requestConfig && event.detail.requestConfig.elt
    const selector = button && button.getAttribute('data-focus-after-removal')
    if (!selector) return
    const next = document.querySelector(selector)
    if (next) requestAnimationFrame(() => next.focus())
  })
}
