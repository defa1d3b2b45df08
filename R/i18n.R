# The one English-Dutch dictionary of the package: the words of tables (dm_table()),
# plots (autoplot()) and printouts, and the check of the `lang` argument they all take.
# Study-specific wording (the UGent study's blocks and predictors) is in R/study.R.

# `lang`: "en" or "nl" (the default c("en", "nl") means "en").
check_lang <- function(lang, arg = "lang", call = sys.call(-1)) {
  match_choice(lang, c("en", "nl"), arg, call = call)
}


# The words of the tables in English and Dutch.
table_words <- list(
  en = c(r.squared = "R\u00b2", adj.r.squared = "Adjusted R\u00b2", nobs = "N",
         n_clusters = "Clusters", sigma = "Residual s.d.", statistic = "F",
         wald = "Wald F (robust)", htz = "HTZ Wald F (robust)", mixed = "Overall test",
         se_note = "Standard errors in parentheses.", t_note = "t statistics in parentheses.",
         ci_note = "95% confidence intervals in brackets.", classical = "classical (OLS) s.e.",
         robust = "robust s.e.", clustered = "clustered by %s (%d clusters)",
         df = "t tests on %s df", ftest = "overall test: %s", stars = "Stars:",
         satterthwaite = "Satterthwaite", none = "no overall test",
         going_well = "going well", challenge = "challenge", item = "Item",
         favourable = "% favourable", interval = "%s%% interval", n = "n",
         agree_note = "%% favourable: share of valid answers with a keyed answer of at least %s; %s%% Wilson intervals%s.",
         weighted = " (%s; Kish's effective n)",
         agree_fpc = "Intervals with the finite population correction 1 - n/N (N = %s).",
         fpc = "finite population correction (N = %s)",
         marks = "Marked: %s.", Constant = "Constant",
         few_clusters = "Few clusters, t and F p-values unreliable (see ?few_clusters; wild cluster bootstrap: dm_wild()): %s.",
         few_df = "smallest df", reverse_item = " (reverse-keyed)",
         rule_cut = "going well from %s%% favourable, otherwise challenge%s",
         rule_slides = " (the slides' reading)",
         rule_n = "going well / challenge: the %s highest / lowest per dimension",
         predictor = "Predictor", reference = "%s (reference)", mark = "Reading",
         note = "Note.", table = "Table"),
  nl = c(r.squared = "R\u00b2", adj.r.squared = "Aangepaste R\u00b2", nobs = "N",
         n_clusters = "Clusters", sigma = "Residuele s.d.", statistic = "F",
         wald = "Wald F (robuust)", htz = "HTZ Wald F (robuust)", mixed = "Globale toets",
         se_note = "Standaardfouten tussen haakjes.", t_note = "t-waarden tussen haakjes.",
         ci_note = "95%-betrouwbaarheidsintervallen tussen vierkante haken.",
         classical = "klassieke (OLS) standaardfouten", robust = "robuuste standaardfouten",
         clustered = "geclusterd per %s (%d clusters)", df = "t-toetsen met %s vrijheidsgraden",
         ftest = "globale toets: %s", stars = "Sterren:", satterthwaite = "Satterthwaite",
         none = "geen globale toets",
         going_well = "gaat goed", challenge = "uitdaging", item = "Item",
         favourable = "% gunstig", interval = "%s%%-interval", n = "n",
         agree_note = "%% gunstig: aandeel geldige antwoorden met een (gecodeerd) antwoord van minstens %s; %s%%-Wilsonintervallen%s.",
         weighted = " (%s; Kish' effectieve n)",
         agree_fpc = "Intervallen met de eindigepopulatiecorrectie 1 - n/N (N = %s).",
         fpc = "eindigepopulatiecorrectie (N = %s)",
         marks = "Gemarkeerd: %s.", Constant = "Constante",
         few_clusters = "Weinig clusters, p-waarden van t- en F-toetsen onbetrouwbaar (zie ?few_clusters; wilde clusterbootstrap: dm_wild()): %s.",
         few_df = "kleinste vrijheidsgraden", reverse_item = " (omgekeerd gescoord)",
         rule_cut = "gaat goed vanaf %s%% gunstig, anders uitdaging%s",
         rule_slides = " (de lezing van de slides)",
         rule_n = "gaat goed / uitdaging: de %s hoogste / laagste per dimensie",
         predictor = "Predictor", reference = "%s (referentie)", mark = "Lezing",
         note = "Noot.", table = "Tabel")
)


dimension_words <- list(
  en = c(efficiency = "Efficiency", innovation = "Innovation", balance = "Balance",
         legacy = "Digital legacy"),
  nl = c(efficiency = "Effici\u00ebntie", innovation = "Innovatie", balance = "Balans",
         legacy = "Digitale erfenis")
)

# The words of the plots in English and Dutch.
plot_words <- list(
  en = c(favourable = "% favourable", going_well = "Going well", challenge = "Challenges",
         share = "Share of valid answers", reverse = "\u2020 reverse-keyed: answers reversed, favourable = disagreeing",
         weighted_hist = "Bars: sums of weights, means weighted; %s.",
         weighted_n = "Weighted %s (sum of weights)",
         weighted = "shares %s", answer = "Answer (keyed)",
         score = "Score", respondents = "respondents", all = "all", estimate = "Estimate",
         ci = "%s%% interval", df = "df", model = "Model", vcov = "Variance",
         capability = "Digital capability (mean of the capability scores)",
         legacy = "Digital legacy (higher = enabling)", type = "Type", n = "n",
         synthetic = "Data: flanders_dm, synthetic (generated from the published aggregates only).",
         cut = "cuts: capability %s, legacy %s",
         reverse_share = "\u2020 reverse-keyed: % favourable is the share disagreeing",
         groups = "groups", mean_group = "mean per group", mean_n = "mean %.2f, n = %d",
         profile = "%s %s against all %d %s\nrwg(j): agreement within the group (- with fewer than 2 respondents)",
         other = "Other", fav_n = "Right: % favourable and n (valid answers)",
         vcov_caption = "%s%s standard errors%s; t intervals on %s df (%s)",
         wild = "Wild bootstrap", t_interval = "t interval, %s",
         wild_caption = "%s (%s, %s weights, %s): confidence sets by test inversion; an arrow: unbounded",
         wild_cl = "Wild cluster bootstrap, G = %d", wild_hc = "Wild bootstrap (no clusters)",
         wild_enum = "all %d sign vectors", wild_draws = "B = %d draws",
         lmg = "LMG share of R\u00b2", lmg_share = "%s (%s%% of R\u00b2)",
         lmg_caption = "R\u00b2 = %s, split by LMG (Shapley value over all orders of entry)%s",
         lmg_always = "; always in the model: %s (R\u00b2 %s)",
         lmg_boot = "%s%% percentile intervals of %d cluster-bootstrap draws (whole clusters resampled)",
         lmg_boot_rows = "%s%% percentile intervals of %d bootstrap draws (rows resampled)",
         lmg_noboot = "no intervals (B = 0)", block = "Block"),
  nl = c(favourable = "% gunstig", going_well = "Wat gaat goed", challenge = "Uitdagingen",
         share = "Aandeel geldige antwoorden", reverse = "\u2020 omgekeerd gescoord: antwoorden omgekeerd, gunstig = oneens",
         weighted_hist = "Staven: som van de gewichten, gemiddelden gewogen; %s.",
         weighted_n = "Gewogen %s (som van de gewichten)",
         weighted = "aandelen %s", answer = "Antwoord (gecodeerd)",
         score = "Score", respondents = "respondenten", all = "alle", estimate = "Schatting",
         ci = "%s%%-interval", df = "vrijheidsgraden", model = "Model", vcov = "Variantie",
         capability = "Digitaal vermogen (gemiddelde van de capaciteitsscores)",
         legacy = "Digitale erfenis (hoger = ondersteunend)", type = "Type", n = "n",
         synthetic = "Data: flanders_dm, synthetisch (enkel uit de gepubliceerde aggregaten gegenereerd).",
         cut = "grenzen: vermogen %s, erfenis %s",
         reverse_share = "\u2020 omgekeerd gescoord: % gunstig is het aandeel dat het oneens is",
         groups = "groepen", mean_group = "gemiddelde per groep", mean_n = "gemiddelde %.2f, n = %d",
         profile = "%s %s tegenover alle %d %s\nrwg(j): overeenstemming binnen de groep (- bij minder dan 2 respondenten)",
         other = "Overige", fav_n = "Rechts: % gunstig en n (geldige antwoorden)",
         vcov_caption = "%sstandaardfouten %s%s; t-intervallen met %s vrijheidsgraden (%s)",
         wild = "Wilde bootstrap", t_interval = "t-interval, %s",
         wild_caption = "%s (%s, %s-gewichten, %s): betrouwbaarheidsverzameling door inversie van de toets; een pijl: onbegrensd",
         wild_cl = "Wilde clusterbootstrap, G = %d", wild_hc = "Wilde bootstrap (zonder clusters)",
         wild_enum = "alle %d tekenvectoren", wild_draws = "B = %d trekkingen",
         lmg = "LMG-aandeel van R\u00b2", lmg_share = "%s (%s%% van R\u00b2)",
         lmg_caption = "R\u00b2 = %s, verdeeld volgens LMG (Shapley-waarde over alle volgordes)%s",
         lmg_always = "; altijd in het model: %s (R\u00b2 %s)",
         lmg_boot = "%s%%-percentielintervallen van %d clusterbootstraptrekkingen (hele clusters herbemonsterd)",
         lmg_boot_rows = "%s%%-percentielintervallen van %d bootstraptrekkingen (rijen herbemonsterd)",
         lmg_noboot = "geen intervallen (B = 0)", block = "Blok")
)

# The four maturity types of dm_typology() (capability x legacy).
type_words <- list(
  en = c(A = "A: mature", B = "B: held back by legacy", C = "C: untapped foundation", D = "D: starting out"),
  nl = c(A = "A: matuur", B = "B: afgeremd door erfenis", C = "C: onbenut fundament", D = "D: beginnend")
)

# Dimension ids in words: the labels of the result's own instrument (its optional
# columns `dimension_label_en` / `dimension_label_nl`), else the dictionary's for the four
# DMM dimensions, else the id itself.
dimension_label <- function(d, lang, instrument = NULL) {
  w <- dimension_words[[lang]]
  out <- ifelse(d %in% names(w), unname(w[d]), d)
  col <- paste0("dimension_label_", lang)
  if (!is.null(instrument) && col %in% names(instrument)) {
    own <- instrument[[col]][match(d, instrument$dimension)]
    ok <- !is.na(own) & nzchar(own)
    out[ok] <- own[ok]
  }
  out
}

# The answer labels of `codes` (keyed codes) from an instrument: the first label of each
# code in its `response_labels_<lang>` (the other language when that one is empty), when
# all its items share one scale; otherwise the codes themselves.
response_code_labels <- function(codes, lang, instrument = NULL) {
  if (is.null(instrument) || !nrow(instrument)) return(as.character(codes))
  for (col in paste0("response_labels_", c(lang, setdiff(c("en", "nl"), lang)))) {
    s <- unique(instrument[[col]])
    if (length(s) == 1L && !is.na(s) && nzchar(s)) return(first_code_labels(s, codes))
  }
  as.character(codes)
}
