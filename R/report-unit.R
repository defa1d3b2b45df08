# dm_report() / dm_reports(): one self-contained HTML page per unit, written directly (no
# rmarkdown, no template engine, no temporary files shared between reports), with the
# figures as inline SVG drawn here. The same input gives the same bytes: no dates, no
# random ids. Also the English/Dutch words of the benchmark's reports, tables and plots.

benchmark_words <- list(
  en = c(title = "Digital maturity benchmark", municipality = "Municipality",
         unit = "Municipality", n = "n", peer_group = "Peer group", all_units = "All municipalities",
         you = "Your municipality", respondents = "%d respondent%s",
         profile = "Your profile on the four dimensions",
         profile_intro = "The dot is the best estimate of your municipality's score (1-5), the bar its %s%% interval. The diamond is the mean of your peer group, the line the mean of all municipalities.",
         estimate = "Estimate", interval = "%s%% interval", raw_mean = "Mean of your respondents",
         reliability = "Reliability", dimension = "Dimension",
         rank = "Your position among all municipalities",
         rank_intro = "The percentile is the share of municipalities with a lower estimate (100: the highest). The dark band holds your position with %s%% probability; the light band is the band that holds all municipalities' positions at once.",
         percentile = "Percentile", rank_text = "rank %d of %d; between %d and %d (%s%%)",
         items = "Items: strengths and challenges",
         items_intro = "%% favourable: share of your respondents who answered %s or higher. Strength: your %s%% interval lies wholly above your peer group's share; challenge: wholly below.",
         item = "Item", fav_you = "You", fav_peers = "Peer group", fav_all = "All",
         fav_peers_short = "Peers", reliability_short = "Reliab.",
         strength = "strength", challenge = "challenge", strengths = "Strengths",
         challenges = "Challenges", none = "none at this level of certainty",
         read = "How to read the figures",
         read_text = c(
           "Few respondents per municipality make a plain average unreliable: one respondent's answer is not the municipality. Each estimate therefore combines your respondents' answers with the average of all municipalities, weighting your own answers more the more respondents you have (the reliability, 0 to 1).",
           "The intervals show how uncertain each figure is. Overlapping intervals mean that the data cannot tell the two apart.",
           "Figures about other municipalities or groups with fewer than %d respondents are not shown (marked %s), nor figures from which such a group could be computed."),
         method = "Method",
         method_text = c(
           "Scores are the mean of a respondent's answers to the items of a dimension (1-5). Per dimension, a random-intercept model (REML) gives every municipality an empirical-Bayes estimate: its respondents' mean shrunk towards the overall mean in proportion to its reliability, with an interval that includes the uncertainty of the overall mean.",
           "Positions come from %d joint simulations of all municipalities' scores under this model. Your raw mean is shown from 3 respondents on."),
         suppressed_mark = "\u2013", not_reportable_mark = "n.r.",
         suppressed = "not shown (fewer than %d respondents)",
         overview_note = "Empirical-Bayes estimates with %s%% intervals; group and overall rows: means of the respondents.",
         suppression_note = "%s: suppressed (fewer than %d respondents, or to protect such a figure).",
         not_reportable_note = "%s: not reportable (no scored respondent).",
         model_note = "Model per dimension (REML): %s.",
         footer = "Made with the R package digimaturity %s. Synthetic example data must not be read as findings.",
         index_title = "Digital maturity benchmark: reports per municipality",
         lang_name = "English", caterpillar_y = "Estimate (%s%% interval)",
         caterpillar_x = "Municipalities, ordered by estimate", highlight = "Highlighted",
         other = "Other", peers_label = "Peers"),
  nl = c(title = "Benchmark digitale maturiteit", municipality = "Gemeente",
         unit = "Gemeente", n = "n", peer_group = "Vergelijkingsgroep", all_units = "Alle gemeenten",
         you = "Uw gemeente", respondents = "%d respondent%s",
         profile = "Uw profiel op de vier dimensies",
         profile_intro = "De stip is de beste schatting van de score van uw gemeente (1-5), de balk het %s%%-interval. De ruit is het gemiddelde van uw vergelijkingsgroep, de lijn het gemiddelde van alle gemeenten.",
         estimate = "Schatting", interval = "%s%%-interval", raw_mean = "Gemiddelde van uw respondenten",
         reliability = "Betrouwbaarheid", dimension = "Dimensie",
         rank = "Uw positie tussen alle gemeenten",
         rank_intro = "Het percentiel is het aandeel gemeenten met een lagere schatting (100: de hoogste). De donkere band bevat uw positie met %s%% waarschijnlijkheid; de lichte band is de band die de posities van alle gemeenten tegelijk bevat.",
         percentile = "Percentiel", rank_text = "rang %d van %d; tussen %d en %d (%s%%)",
         items = "Items: sterktes en uitdagingen",
         items_intro = "%% gunstig: aandeel van uw respondenten dat %s of hoger antwoordde. Sterkte: uw %s%%-interval ligt volledig boven het aandeel van uw vergelijkingsgroep; uitdaging: volledig eronder.",
         item = "Item", fav_you = "U", fav_peers = "Vergelijkingsgroep", fav_all = "Alle",
         fav_peers_short = "Groep", reliability_short = "Betrouwb.",
         strength = "sterkte", challenge = "uitdaging", strengths = "Sterktes",
         challenges = "Uitdagingen", none = "geen met deze zekerheid",
         read = "Hoe leest u de figuren?",
         read_text = c(
           "Met weinig respondenten per gemeente is een gewoon gemiddelde onbetrouwbaar: het antwoord van \u00e9\u00e9n respondent is niet de gemeente. Elke schatting combineert daarom de antwoorden van uw respondenten met het gemiddelde van alle gemeenten, en weegt uw eigen antwoorden zwaarder naarmate u meer respondenten hebt (de betrouwbaarheid, 0 tot 1).",
           "De intervallen tonen hoe onzeker elk cijfer is. Overlappende intervallen betekenen dat de gegevens de twee niet van elkaar kunnen onderscheiden.",
           "Cijfers over andere gemeenten of groepen met minder dan %d respondenten worden niet getoond (gemarkeerd met %s), evenmin als cijfers waaruit zo'n groep kan worden berekend."),
         method = "Methode",
         method_text = c(
           "Scores zijn het gemiddelde van de antwoorden van een respondent op de items van een dimensie (1-5). Per dimensie geeft een random-interceptmodel (REML) elke gemeente een empirisch-Bayesiaanse schatting: het gemiddelde van haar respondenten, naar het algemene gemiddelde getrokken naargelang haar betrouwbaarheid, met een interval dat ook de onzekerheid van het algemene gemiddelde bevat.",
           "Posities komen uit %d gezamenlijke simulaties van de scores van alle gemeenten onder dit model. Uw ruwe gemiddelde wordt getoond vanaf 3 respondenten."),
         suppressed_mark = "\u2013", not_reportable_mark = "n.r.",
         suppressed = "niet getoond (minder dan %d respondenten)",
         overview_note = "Empirisch-Bayesiaanse schattingen met %s%%-intervallen; groeps- en totaalrijen: gemiddelden van de respondenten.",
         suppression_note = "%s: onderdrukt (minder dan %d respondenten, of om zo'n cijfer te beschermen).",
         not_reportable_note = "%s: niet rapporteerbaar (geen respondent met een score).",
         model_note = "Model per dimensie (REML): %s.",
         footer = "Gemaakt met het R-pakket digimaturity %s. Synthetische voorbeeldgegevens zijn geen bevindingen.",
         index_title = "Benchmark digitale maturiteit: rapporten per gemeente",
         lang_name = "Nederlands", caterpillar_y = "Schatting (%s%%-interval)",
         caterpillar_x = "Gemeenten, gerangschikt naar schatting", highlight = "Gemarkeerd",
         other = "Andere", peers_label = "Vergelijkingsgroep")
)

#' One HTML report per municipality
#'
#' `dm_report()` writes the report of one unit of a [dm_benchmark()]: its
#' profile on the dimensions against all units and its peer group with
#' intervals, its position (percentile with rank intervals), its items'
#' strengths and challenges against its peers, how to read the figures and
#' the method in plain language. `dm_reports()` writes one report per unit
#' and an index page.
#'
#' The page is self-contained: one HTML file with its style sheet and its
#' figures (inline SVG drawn by the package) inside, no script, no external
#' file, no network. It is written directly, without rmarkdown or a template
#' engine, so reports rendered at the same time (in parallel processes or
#' for several units) share no intermediate file and cannot show each
#' other's figures; each file is written to a temporary name in its folder
#' and then renamed, so a reader never sees half a report. The same input
#' gives the same bytes (no dates, no random ids). The layout adapts to
#' phone and desktop widths.
#'
#' @section Progress and interrupts:
#' `dm_reports()` shows a progress bar with one step per report in an
#' interactive session when the run lasts more than a few seconds (\pkg{cli};
#' drawn after cli's `cli.progress_show_after`, 2 s by default); scripts,
#' knitr documents and tests show none unless
#' `options(digimaturity.progress = TRUE)`, and `FALSE` turns the bars off
#' everywhere. Ctrl-C (an interrupt) stops the run between two reports, or
#' during one, within about a second: the folder then holds the reports
#' written so far, each complete, and no temporary file (the index page is
#' written last: an interrupted run does not write it). The bar changes
#' nothing in the files.
#'
#' **Protecting respondents.** A report shows its own unit's answers (whatever
#' their number), and about others only the peer group (its own unit
#' included) and all units. Per figure (dimension or item), what a reader can
#' derive about others by subtraction (group minus unit, all minus group, all
#' minus unit) must hold no respondent or at least `min_n` of
#' [dm_benchmark()]; otherwise the peer figure, and if need be the overall
#' one, is suppressed (complementary suppression). A report never shows
#' another unit's own figures. With `peers = k` (nearest units) every unit has
#' its own peer set, so differences between two units' reports are not
#' protected: publish such reports only to their own units.
#'
#' @param bench A [dm_benchmark()] result.
#' @param unit The unit: its id as in the data (`12` or `"12"`).
#' @param lang `"nl"` (default) or `"en"`.
#' @param file Optional path of the HTML file to write.
#' @param pdf Optional path of a PDF to print the page to through headless
#'   Chromium (found as `chromium`, `chromium-browser` or `google-chrome`;
#'   an error of class `digimaturity_error_missing_package` when absent).
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling`.
#' @return `dm_report()`: the HTML as a single string of class
#'   `dm_report_html` (invisibly when `file` is given). `dm_reports()`: the
#'   paths written, invisibly (the index first).
#' @family benchmarks
#' @export
#' @examples
#' set.seed(1)
#' bench <- dm_benchmark(flanders_dm, peers = ~population_class, draws = 500)
#' path <- tempfile(fileext = ".html")
#' dm_report(bench, unit = 9, lang = "nl", file = path)
#' \donttest{
#' dir <- file.path(tempdir(), "reports")
#' files <- dm_reports(bench, dir = dir, lang = "en", units = c(2, 9))
#' basename(files)
#' }
dm_report <- function(bench, unit, lang = c("nl", "en"), file = NULL, pdf = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_report()", .strict = TRUE)
  check_benchmark(bench)
  lang <- match_choice(lang, c("nl", "en"), "lang")
  j <- report_unit_index(bench, unit)
  html <- report_html(bench, j, lang)
  if (!is.null(file)) {
    check_file_arg(file, "file")
    write_atomic(html, file)
  }
  if (!is.null(pdf)) {
    check_file_arg(pdf, "pdf")
    print_pdf(html, pdf)
  }
  out <- structure(html, class = "dm_report_html")
  if (is.null(file)) out else invisible(out)
}

#' @rdname dm_report
#' @param dir The folder to write to (created if absent).
#' @param units Optional: the units to write (all by default).
#' @export
dm_reports <- function(bench, dir, lang = c("nl", "en"), units = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_reports()", .strict = TRUE)
  check_benchmark(bench)
  lang <- match_choice(lang, c("nl", "en"), "lang")
  check_file_arg(dir, "dir")
  if (!dir.exists(dir) && !dir.create(dir, recursive = TRUE, showWarnings = FALSE) && !dir.exists(dir)) {
    dm_abort(sprintf("`dir` '%s' could not be created.", dir), type = "file")
  }
  ids <- unique(bench$units$unit)
  js <- if (is.null(units)) seq_along(ids) else vapply(units, function(u) report_unit_index(bench, u), 1L)
  files <- file.path(dir, report_file_name(ids[js]))
  # one tick per report; each tick is an interrupt point between two complete reports
  # (an interrupt inside write_atomic() removes its temporary file)
  bar <- progress_start(length(js), "Municipal reports")
  for (k in seq_along(js)) {
    write_atomic(report_html(bench, js[k], lang), files[k])
    progress_update(bar, inc = 1)
  }
  progress_done(bar)
  index <- file.path(dir, "index.html")
  write_atomic(report_index(bench, ids[js], basename(files), lang), index)
  invisible(c(index, files))
}

#' @export
print.dm_report_html <- function(x, ...) {
  check_dots_strict(...)
  cat(sprintf("<dm_report_html> %d characters; write it with dm_report(file = ) and open it in a browser.\n",
              nchar(x)))
  invisible(x)
}

check_benchmark <- function(bench) {
  if (!inherits(bench, "dm_benchmark")) {
    dm_abort(sprintf("`bench` must be a dm_benchmark() result; you passed %s.", describe_value(bench)),
             type = "input")
  }
  invisible(bench)
}

check_file_arg <- function(x, arg) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    dm_abort(sprintf("`%s` must be a single path; you passed %s.", arg, show_values(x)), type = "input")
  }
  invisible(x)
}

report_unit_index <- function(bench, unit) {
  ids <- unique(bench$units$unit)
  if ((!is.character(unit) && !is.numeric(unit)) || length(unit) != 1L || is.na(unit) ||
      !as.character(unit) %in% ids) {
    dm_abort(sprintf("`unit` must be one of the %d units of `bench` (e.g. %s); you passed %s.",
                     length(ids), show_values(ids, 3L), show_values(unit)), type = "input")
  }
  match(as.character(unit), ids)
}

report_file_name <- function(ids) {
  paste0("unit-", gsub("[^A-Za-z0-9_-]+", "_", ids), ".html")
}

# Writes to a temporary file in the target's folder, then renames it: a reader (or a
# parallel writer of another report) never sees a partial file. An error or an interrupt
# (Ctrl-C) before the rename closes the connection and removes the temporary file, so
# the folder holds only complete files.
write_atomic <- function(text, path) {
  dir <- dirname(path.expand(path))
  if (!dir.exists(dir)) {
    dm_abort(sprintf("the folder '%s' of '%s' does not exist.", dir, path), type = "file")
  }
  tmp <- tempfile(".dm-report-", tmpdir = dir, fileext = ".part")
  con <- NULL
  renamed <- FALSE
  on.exit({
    if (!is.null(con)) close(con)
    if (!renamed) unlink(tmp)
  })
  con <- file(tmp, open = "wb")
  writeBin(charToRaw(enc2utf8(text)), con)
  close(con)
  con <- NULL
  renamed <- file.rename(tmp, path)
  if (!renamed) dm_abort(sprintf("'%s' could not be written.", path), type = "file")
  invisible(path)
}

# The headless browser, where installed.
find_chromium <- function() {
  for (b in c("chromium", "chromium-browser", "google-chrome")) {
    p <- Sys.which(b)
    if (nzchar(p)) return(unname(p))
  }
  ""
}

print_pdf <- function(html, pdf) {
  browser <- find_chromium()
  if (!nzchar(browser)) {
    dm_abort("`pdf` needs headless Chromium (chromium, chromium-browser or google-chrome on the PATH); install it, or write the HTML and print it from a browser.",
             type = "missing_package")
  }
  src <- tempfile(fileext = ".html")
  on.exit(unlink(src))
  write_atomic(html, src)
  # Chromium without a preloaded library of R's (a sanitizer runtime: Chromium hangs with
  # it), and with a time limit: a browser that hangs is an error, not a stuck R
  preload <- Sys.getenv("LD_PRELOAD", unset = NA)
  if (!is.na(preload)) {
    Sys.unsetenv("LD_PRELOAD")
    on.exit(Sys.setenv(LD_PRELOAD = preload), add = TRUE)
  }
  system2(browser, c("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                     paste0("--print-to-pdf=", normalizePath(pdf, mustWork = FALSE)),
                     paste0("file://", normalizePath(src))), stdout = FALSE, stderr = FALSE,
          timeout = 120)
  if (!file.exists(pdf)) dm_abort(sprintf("Chromium did not write '%s'.", pdf), type = "file")
  invisible(pdf)
}

html_escape <- function(x) {
  x <- gsub("&", "&amp;", x, fixed = TRUE)
  x <- gsub("<", "&lt;", x, fixed = TRUE)
  x <- gsub(">", "&gt;", x, fixed = TRUE)
  gsub("\"", "&quot;", x, fixed = TRUE)
}
