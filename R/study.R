# The UGent study's own wording: its blocks of predictors.

# The headings of the study's blocks, by block id.
study_blocks <- list(
  en = c(pressure = "Institutional pressures", administrative_capacity = "Administrative capacity",
         political_capacity = "Political capacity", control = "Control"),
  nl = c(pressure = "Institutionele druk", administrative_capacity = "Administratieve capaciteit",
         political_capacity = "Politieke capaciteit", control = "Controle")
)
