#' The digital maturity instrument: 24 items of the UGent survey
#'
#' The items of the Magnusson & Nilsson digital maturity model as used in the
#' Ghent University survey of Flemish local governments: 19 capabilities in
#' three dimensions of digital capability (efficiency, innovation, balance) and
#' 5 items on the digital legacy of the IT department.
#'
#' @format A data frame with 24 rows and 12 columns:
#' \describe{
#'   \item{item}{Item id; the column name of the item in response data.}
#'   \item{dimension}{`"efficiency"`, `"innovation"`, `"balance"` (digital
#'     capability) or `"legacy"` (digital legacy).}
#'   \item{category}{For legacy items, the DiMiOS category (`"organisation"`,
#'     `"users"` or `"technology"`); `NA` for capability items.}
#'   \item{category_assumed}{`TRUE` where the category is our assumption (all
#'     legacy items: the slides do not state the mapping).}
#'   \item{label_en, label_nl}{English and Dutch labels. The Dutch labels of
#'     `portfolio_management`, `user_involvement` and `internal_scaling` are
#'     our translations; the other labels are the slides' own.}
#'   \item{keyed}{`1`, or `-1` for the reverse-keyed `poor_past_it` (poor IT
#'     developments in the past).}
#'   \item{scale_min, scale_max}{Response bounds, 1 and 5. The slides do not
#'     state the response scale; a 5-point agreement scale is assumed, with
#'     "% favourable" the share answering 4 or 5 (1 or 2 for the reverse-keyed
#'     item) among valid answers.}
#'   \item{response_labels_nl, response_labels_en}{The labels of each code,
#'     `"1=Helemaal oneens|2=Oneens|..."`: the first label of a code is the
#'     one shown, the others are accepted wordings when word answers are read
#'     ([dm_read()], [dm_score()]). These labels are assumed (the slides do not
#'     print the scale): Dutch "Helemaal oneens / Oneens / Neutraal (or Noch
#'     eens, noch oneens) / Eens / Helemaal eens", Flemish "Helemaal niet
#'     akkoord / Niet akkoord / Neutraal / Akkoord / Helemaal akkoord" and
#'     English "Strongly disagree / Disagree / Neutral (or Neither agree nor
#'     disagree) / Agree / Strongly agree".}
#'   \item{na_labels}{Answers that mean "no answer" and are read as missing,
#'     separated by `"|"`: "weet niet", "geen mening", "n.v.t.", "don't
#'     know", "not applicable", ...}
#' }
#' @source Ghent University (UGent), "Digitale maturiteit" of Flemish local
#'   governments, slides commissioned by the Agentschap Binnenlands Bestuur
#'   (fieldwork December 2023 - January 2024). Model: Magnusson, J. and Nilsson,
#'   A. (2020), Digital maturity in a public context: the case of the Swedish
#'   Transport Administration, and Magnusson, Nilsson and Pareto (2019).
#' @family instrument
#' @seealso [dm_instrument()] to validate this or your own codebook.
#' @examples
#' head(dmm_items)
#' table(dmm_items$dimension)
#' dm_instrument(dmm_items)
"dmm_items"

#' Published figures of the UGent digital maturity study
#'
#' A careful reading of the figures printed on the slides of the Ghent
#' University study: the regression tables, fit statistics, item percentages
#' and sample description. These are facts from the slides, kept verbatim so
#' that a replication can be compared with them; where the slides' OCR was
#' uncertain, `raw_text` keeps what was printed and `reading_note` says how it
#' was read.
#'
#' @format A list of four data frames:
#' \describe{
#'   \item{regression}{42 rows, one per term and model: `block` (pressure,
#'     administrative_capacity, political_capacity, control, intercept),
#'     `term`, `label_en`, `label_nl`, `model` (efficiency, innovation,
#'     balance), `estimate`, `std_error`, `stars_printed` (+ p<.10, * p<.05,
#'     ** p<.01, *** p<.001 as printed), `raw_text`, `reading_note`.}
#'   \item{fit}{3 rows, one per model: `model`, `r_squared`,
#'     `adj_r_squared`, `f_statistic`, `f_stars_printed`, `nobs`.}
#'   \item{items}{24 rows: `item`, `dimension`, `category`, `label_en`,
#'     `label_nl`, `keyed`, `pct_agree_printed` (the printed "% favourable",
#'     `NA` where not printed), `slide` ("going well" or "challenge").}
#'   \item{sample}{`quantity`, `value`, `note`: respondents (260), response
#'     rate (45%), local governments represented (183, 61% of 300), fieldwork
#'     period, population classes, commissioning agency.}
#' }
#' @details The printed figures do not all agree with each other: adjusted
#'   R-squared and F do not follow from the printed R-squared, N and 13
#'   predictors; N exceeds the 260 respondents; some stars do not match a
#'   two-sided t test. See the replication vignette.
#' @source Ghent University (UGent), "Digitale maturiteit" of Flemish local
#'   governments, slides commissioned by the Agentschap Binnenlands Bestuur,
#'   2024 (slides "Capaciteit of druk?", "Wat gaat goed?", "Uitdagingen").
#' @family published
#' @examples
#' ugent_published$fit
#' subset(ugent_published$regression, model == "balance")[, c("term", "estimate", "std_error")]
"ugent_published"
