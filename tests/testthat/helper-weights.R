# A synthetic population of 300 municipalities (size class, province, coastal) with
# response depending on all three, and 1-3 respondents per responding municipality; used
# by test-weights.R and test-representativeness.R (illustrative, not the real frame).
weights_frame <- function(seed = 23) {
  set.seed(seed)
  n <- 300
  frame <- data.frame(
    municipality = sprintf("M%03d", seq_len(n)),
    size_class = factor(sample(c("<10k", "10-20k", "20-50k", ">50k"), n, TRUE,
                               prob = c(0.3, 0.35, 0.25, 0.1)),
                        levels = c("<10k", "10-20k", "20-50k", ">50k")),
    province = sample(c("Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant",
                        "West-Vlaanderen"), n, TRUE),
    coastal = sample(c("no", "yes"), n, TRUE, prob = c(0.9, 0.1)),
    stringsAsFactors = FALSE)
  frame$inhabitants <- round(c(6e3, 15e3, 30e3, 80e3)[frame$size_class] * stats::runif(n, 0.6, 1.4))
  p <- stats::plogis(0.2 + 0.4 * as.integer(frame$size_class) - 0.3 * (frame$province == "Limburg") +
                       0.3 * (frame$coastal == "yes") - 0.6)
  responding <- frame[stats::runif(n) < p, ]
  k <- sample(1:3, nrow(responding), TRUE)
  data <- responding[rep(seq_len(nrow(responding)), k), ]
  data$role <- sample(c("general director", "staff"), nrow(data), TRUE, prob = c(0.4, 0.6))
  data$y <- stats::rnorm(nrow(data), 3 + 0.2 * as.integer(data$size_class))
  rownames(data) <- NULL
  list(frame = frame, data = data)
}
