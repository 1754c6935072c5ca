#!/usr/bin/env Rscript
# Reference values for numeric questions compared between groups, computed by R with a fixed seed:
#   Rscript scripts/make_numeric_fixtures.R > Tests/StatisticsTests/Fixtures/r_numeric.json
# t.test(var.equal = FALSE), oneway.test(var.equal = FALSE), wilcox.test(exact = FALSE, correct = TRUE),
# kruskal.test, and per group mean, sd, median and type-7 quartiles; plus pt and pf tails.
set.seed(20261201)
num <- function(x) ifelse(is.na(x) | !is.finite(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
cases <- c()
for (k in 1:100) {
  g <- sample(2:4, 1)
  digits <- sample(0:2, 1)
  samples <- lapply(1:g, function(i) round(rnorm(sample(3:60, 1), mean = rnorm(1, 10, 2), sd = exp(rnorm(1, 0, 0.7))), digits))
  y <- unlist(samples); f <- factor(rep(seq_len(g), sapply(samples, length)))
  welch <- if (g == 2) t.test(samples[[1]], samples[[2]], var.equal = FALSE) else oneway.test(y ~ f, var.equal = FALSE)
  w <- if (g == 2) suppressWarnings(wilcox.test(samples[[1]], samples[[2]], exact = FALSE, correct = TRUE)) else NULL
  kw <- kruskal.test(y, f)
  groups <- sapply(samples, function(s) sprintf('{"values": %s, "mean": %s, "sd": %s, "median": %s, "q1": %s, "q3": %s}',
                                                 vec(s), num(mean(s)), num(sd(s)), num(median(s)),
                                                 num(quantile(s, 0.25, type = 7)), num(quantile(s, 0.75, type = 7))))
  cases <- c(cases, sprintf('{"groups": [%s], "welch": %s, "welch_df2": %s, "welch_p": %s, "w": %s, "w_p": %s, "kw": %s, "kw_p": %s}',
                            paste(groups, collapse = ", "), num(unname(welch$statistic)),
                            num(unname(welch$parameter[length(welch$parameter)])), num(welch$p.value),
                            if (is.null(w)) "null" else num(unname(w$statistic)), if (is.null(w)) "null" else num(w$p.value),
                            num(unname(kw$statistic)), num(kw$p.value)))
}
tails <- c()
for (a in list(c(0.1, 3), c(1.5, 7.3), c(2.5, 30), c(8, 2.2), c(0.7, 1), c(20, 100), c(4, 12.5))) {
  tails <- c(tails, sprintf('{"t": %s, "df": %s, "p": %s}', num(a[1]), num(a[2]), num(2 * pt(-abs(a[1]), a[2]))))
}
ftails <- c()
for (a in list(c(0.5, 2, 10), c(3.2, 3, 25.5), c(10, 1, 4), c(1.1, 5, 300), c(40, 2, 7.7))) {
  ftails <- c(ftails, sprintf('{"f": %s, "d1": %s, "d2": %s, "p": %s}', num(a[1]), num(a[2]), num(a[3]), num(pf(a[1], a[2], a[3], lower.tail = FALSE))))
}
cat(sprintf('{"r_version": "%s",\n"cases": [\n%s],\n"t_tails": [%s],\n"f_tails": [%s]}\n', R.version.string,
            paste(cases, collapse = ",\n"), paste(tails, collapse = ", "), paste(ftails, collapse = ", ")))
