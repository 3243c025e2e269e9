// Filters over thousands of sites, systems or bodies arrive as a text box that works without JavaScript
// (core.filtersets.SearchableChoiceFilter). Here each becomes GOV.UK's accessible autocomplete, asking the
// box's JSON endpoint for the names containing what the person has typed so far.
const PAUSE_MS = 200

function source (url) {
  let timer
  return (query, populate) => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const address = new URL(url, window.location.href)
      address.searchParams.set('q', query)
      try {
        const response = await fetch(address, { headers: { Accept: 'application/json' } })
        populate(response.ok ? (await response.json()).results : [])
      } catch {
        populate([])
      }
    }, PAUSE_MS)
  }
}

export function enhanceSearchBoxes (root) {
  if (!window.accessibleAutocomplete) return
  for (const input of root.querySelectorAll('input[data-search-source]')) {
    const container = document.createElement('div')
    input.replaceWith(container)
    window.accessibleAutocomplete({
      element: container,
      id: input.id,
      name: input.name,
      defaultValue: input.value,
      minLength: 2,
      showNoOptionsFound: true,
      tNoResults: () => 'No names match',
      source: source(input.dataset.searchSource),
      // A chosen name filters at once, as choosing from a select does.
      onConfirm: (chosen) => {
        if (chosen === undefined) return
        const field = container.querySelector('input')
        field.value = chosen
        field.form?.requestSubmit()
      }
    })
  }
}
