// A long select marked data-autocomplete (a return's 300 correctable fields) becomes GOV.UK's accessible
// autocomplete over its own options. Without JavaScript the select is the control; with it the select is
// hidden but stays the field the form sends, set from the option chosen.
function matching (labels) {
  return (query, populate) => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    populate(labels.filter((label) => words.every((word) => label.toLowerCase().includes(word))))
  }
}

export function enhanceLongSelects (root) {
  if (!window.accessibleAutocomplete) return
  for (const select of root.querySelectorAll('select[data-autocomplete]')) {
    const labels = [...select.options].filter((option) => option.value).map((option) => option.textContent)
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',
      minLength: 2,
      showNoOptionsFound: true,
      tNoResults: () => 'No fields match',
      source: matching(labels)
    })
  }
}
