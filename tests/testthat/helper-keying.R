# Fixtures of uniformly random answers have uncorrelated items, about half of them with a
# negative item-rest correlation by chance, so dm_score() and dm_reliability() rightly
# warn that they may be mis-keyed (digimaturity_warning_keying). Tests about something
# else wrap such calls in quiet_keying(); the keying check itself is tested in
# test-score.R and test-reliability.R.
quiet_keying <- function(expr) suppressWarnings(expr, classes = "digimaturity_warning_keying")
