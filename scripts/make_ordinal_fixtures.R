#!/usr/bin/env Rscript
# Reference values for the ordinal tests (groups x ordered answers), computed by R with a fixed seed:
#   Rscript scripts/make_ordinal_fixtures.R > Tests/StatisticsTests/Fixtures/r_ordinal.json
# wilcox.test(exact = FALSE, correct = TRUE) for two groups, kruskal.test, and the linear-by-linear statistic
# M2 = (N - 1) r^2 with r = cor(group score, answer score) over the respondents (Agresti 2007, 2.5.1).
set.seed(20261130)
num <- function(x) ifelse(is.na(x) | !is.finite(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ", "), "]")
out <- c()
while (length(out) < 120) {
  g <- sample(2:4, 1); k <- sample(3:7, 1); n <- sample(6:500, 1)
  shift <- rnorm(g, 0, 0.6)
  rows <- lapply(1:g, function(i) { p <- exp(-((1:k) - (k + 1) / 2 - shift[i])^2 / 4); tabulate(sample(1:k, max(2, round(n / g)), TRUE, p), k) })
  m <- do.call(rbind, rows)
  m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  if (nrow(m) < 2 || ncol(m) < 2) next
  grp <- rep(rep(seq_len(nrow(m)), ncol(m)), as.vector(m))
  ans <- rep(rep(seq_len(ncol(m)), each = nrow(m)), as.vector(m))
  kw <- kruskal.test(ans, factor(grp))
  w <- if (nrow(m) == 2) suppressWarnings(wilcox.test(ans[grp == 1], ans[grp == 2], exact = FALSE, correct = TRUE)) else NULL
  m2 <- (length(ans) - 1) * cor(grp, ans)^2
  out <- c(out, sprintf('{"table": %s, "kw": %s, "kw_p": %s, "w": %s, "w_p": %s, "m2": %s, "m2_p": %s}', mat(m),
                        num(unname(kw$statistic)), num(kw$p.value), if (is.null(w)) "null" else num(unname(w$statistic)),
                        if (is.null(w)) "null" else num(w$p.value), num(m2), num(pchisq(m2, 1, lower.tail = FALSE))))
}
cat(sprintf('{"r_version": "%s",\n"tables": [\n%s]}\n', R.version.string, paste(out, collapse = ",\n")))
