// A list page's filter form (core/filters.html) reloads only its results, with htmx, and pushes the new
// address so Back undoes a filter. One change must make one history entry, but one change can fire two
// events: Enter in a text box fires "change" and then submits; an autocomplete submits when a name is
// chosen and fires "change" again when the box loses focus. So every change becomes a submission, and a
// submission asking for the filters already shown (or already on their way) is dropped before htmx
// sees it.
const FORMS = 'form.app-filters[hx-get]'
const sent = new WeakMap()

function normalised (params) {
  return [...params].filter(([, value]) => value !== '').map(([name, value]) => `${name}=${value}`).sort().join('&')
}

export function singleHistoryFilters (root) {
  root.addEventListener('change', (event) => {
    const form = event.target.closest?.(FORMS)
    if (form) form.requestSubmit()
  })
  // Capturing on the document runs before htmx's own listener on the form.
  root.addEventListener('submit', (event) => {
    const form = event.target
    if (!form.matches?.(FORMS)) return
    const asked = normalised(new FormData(form))
    if (asked === normalised(new URLSearchParams(window.location.search)) || asked === sent.get(form)) {
      event.preventDefault()
      event.stopImmediatePropagation()
      return
    }
    sent.set(form, asked)
  }, true)
  root.addEventListener('htmx:afterRequest', (event) => sent.delete(event.target))
}
