// GOV.UK Frontend components, started without inline script so the CSP can forbid it.
import { initAll } from '/static/govuk/govuk-frontend.min.js'
initAll()

import { enhanceSearchBoxes } from '/static/oversight/search.js'
enhanceSearchBoxes(document)

import { enhanceLongSelects } from '/static/oversight/pickers.js'
enhanceLongSelects(document)

import { singleHistoryFilters } from '/static/oversight/filters.js'
singleHistoryFilters(document)

import { manageSwapFocus } from '/static/oversight/focus.js'
manageSwapFocus(document)
