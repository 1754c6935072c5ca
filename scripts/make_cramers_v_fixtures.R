#!/usr/bin/env Rscript
# One-sided 95% lower confidence bounds for Cramer's V by noncentral chi-square inversion, from R's effectsize
# (Debian's r-cran-effectsize), with a fixed seed:
#   Rscript scripts/make_cramers_v_fixtures.R > Tests/StatisticsTests/Fixtures/r_cramers_v.json
# cramers_v(x, adjust = FALSE, alternative = "greater"): the CI's lower end; its upper end is 1. Beside it,
# "lower_exact" solves pchisq(X2, df, ncp) = 0.95 with uniroot to 1e-12: effectsize's optimiser stops early on
# large X2 (a 5 x 6 table with X2 = 585 gets 0.375 where the root gives 0.439), so the tests hold trustgap to
# the root and report effectsize's value for comparison.
suppressPackageStartupMessages(library(effectsize))
set.seed(20261202)
num <- function(x) ifelse(is.na(x) | !is.finite(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ", "), "]")
out <- c()
while (length(out) < 150) {
  r <- sample(2:5, 1); c <- sample(2:6, 1); n <- sample(10:800, 1)
  p <- matrix(rexp(r * c)^(runif(1, 0, 2)), r); p <- p / sum(p)
  m <- matrix(rmultinom(1, n, as.vector(p)), r)
  if (any(rowSums(m) == 0) || any(colSums(m) == 0)) next
  v <- suppressWarnings(cramers_v(m, adjust = FALSE, alternative = "greater"))
  x2 <- suppressWarnings(unname(chisq.test(m, correct = FALSE)$statistic))
  df <- (r - 1) * (c - 1)
  ncp <- if (pchisq(x2, df) <= 0.95) 0 else uniroot(function(l) pchisq(x2, df, ncp = l) - 0.95, c(0, 10 * x2 + 100), tol = 1e-12)$root
  exact <- min(1, sqrt(ncp / (sum(m) * (min(r, c) - 1))))
  out <- c(out, sprintf('{"table": %s, "statistic": %s, "v": %s, "lower": %s, "lower_exact": %s}', mat(m), num(x2),
                        num(v$Cramers_v), num(v$CI_low), num(exact)))
}
cat(sprintf('{"effectsize": "%s",\n"tables": [\n%s]}\n', packageVersion("effectsize"), paste(out, collapse = ",\n")))
