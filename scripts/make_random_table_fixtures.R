#!/usr/bin/env Rscript
# Randomized cross-check of the contingency statistics against R (Debian's r-base-core), with a fixed seed.
#   Rscript scripts/make_random_table_fixtures.R > Tests/StatisticsTests/Fixtures/r_random_tables.json
# 300 tables from 2x2 to 6x7 with N from 5 to 5,000: X2, G, Yates, Cramer's V, adjusted residuals, and Fisher's
# exact p where R's fisher.test is quick (2-row tables, or N <= 40), with R's own Monte Carlo Fisher p beside it
# (B = 100,000). Then 64 tables for the simulated chi-square p: R's chisq.test(simulate.p.value = TRUE,
# B = 100,000), and for 2x2 and 2x3 tables the exact permutation p of X2, enumerated here. Among them: balanced
# tables with N >= 1,000 and tables whose exact p is 1.
set.seed(20261129)
num <- function(x) ifelse(is.na(x) | !is.finite(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ", "), "]")

random_table <- function(r, c, n) {
  repeat {
    p <- matrix(rexp(r * c)^2, r); p <- p / sum(p)
    m <- matrix(rmultinom(1, n, as.vector(p)), r)
    if (sum(rowSums(m) > 0) >= 2 && sum(colSums(m) > 0) >= 2) return(m)
  }
}

tables <- c()
for (k in 1:300) {
  r <- sample(2:6, 1); c <- sample(2:7, 1)
  n <- round(exp(runif(1, log(5), log(5000))))
  m <- random_table(r, c, n)
  kept <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  ct <- suppressWarnings(chisq.test(kept, correct = FALSE))
  e <- ct$expected
  g <- 2 * sum(ifelse(kept > 0, kept * log(kept / e), 0))
  v <- sqrt(unname(ct$statistic) / (sum(kept) * (min(dim(kept)) - 1)))
  yates <- if (all(dim(kept) == 2)) suppressWarnings(chisq.test(kept, correct = TRUE)) else NULL
  quick <- min(dim(kept)) == 2 && sum(kept) <= 1000 || sum(kept) <= 40
  fisher <- if (quick) fisher.test(kept, workspace = 2e8)$p.value else NA
  fisher_mc <- if (quick) fisher.test(kept, simulate.p.value = TRUE, B = 100000)$p.value else NA
  tables <- c(tables, sprintf(paste0('{"table": %s, "statistic": %s, "df": %d, "p": %s, "stdres": %s, "g": %s, ',
                                     '"cramers_v": %s, "yates_statistic": %s, "yates_p": %s, "fisher_p": %s, "fisher_mc_p": %s}'),
                              mat(m), num(unname(ct$statistic)), as.integer(ct$parameter), num(ct$p.value), mat(ct$stdres),
                              num(g), num(v), if (is.null(yates)) "null" else num(unname(yates$statistic)),
                              if (is.null(yates)) "null" else num(yates$p.value), num(fisher), num(fisher_mc)))
}

# Exact permutation p of Pearson's X2 for a two-row table: every table with the margins, by its hypergeometric
# probability, counting those with X2 >= the observed (R's almost.1 tolerance).
exact_x2_p <- function(m) {
  rs <- rowSums(m); cs <- colSums(m); n <- sum(m); e <- outer(rs, cs) / n
  x2 <- function(t) sum((t - e)^2 / e)
  obs <- x2(m)
  total <- 0
  grid <- expand.grid(lapply(cs, function(cj) 0:cj))
  for (k in seq_len(nrow(grid))) {
    top <- as.numeric(grid[k, ])
    if (sum(top) != rs[1]) next
    t <- rbind(top, cs - top)
    prob <- exp(sum(lchoose(cs, top)) - lchoose(n, rs[1]))
    if (x2(t) >= obs * (1 - 64 * .Machine$double.eps)) total <- total + prob
  }
  total
}

mc <- c()
mc_tables <- list(matrix(c(600, 200, 200, 600), 2), matrix(c(11, 5, 6, 2), 2, byrow = TRUE),
                  matrix(c(800, 800, 800, 800), 2), matrix(c(500, 510, 490, 500, 505, 495), 2),
                  matrix(c(1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000), 3),
                  matrix(c(5, 5, 5, 5), 2), matrix(c(3, 3, 3, 3, 3, 3), 2))
while (length(mc_tables) < 64) {
  r <- sample(2:5, 1); c <- sample(2:5, 1)
  if (length(mc_tables) %% 3 == 0) { r <- 2; c <- sample(2:3, 1) }
  n <- if (length(mc_tables) %% 4 == 0) sample(1000:3000, 1) else sample(8:200, 1)
  m <- random_table(r, c, n)
  if (nrow(m) == 2 && ncol(m) <= 3) m <- m[, colSums(m) > 0, drop = FALSE]
  if (all(rowSums(m) > 0) && all(colSums(m) > 0) && ncol(m) >= 2) mc_tables[[length(mc_tables) + 1]] <- m
}
for (m in mc_tables) {
  b <- 100000
  pm <- chisq.test(m, simulate.p.value = TRUE, B = b)$p.value
  ex <- if (nrow(m) == 2 && ncol(m) <= 3 && sum(m) <= 400) exact_x2_p(m) else NA
  mc <- c(mc, sprintf('{"table": %s, "replicates": %d, "p": %s, "exact_p": %s}', mat(m), b, num(pm), num(ex)))
}

cat(sprintf('{"r_version": "%s", "seed": 20261129,\n"tables": [\n%s],\n"montecarlo": [\n%s]}\n', R.version.string,
            paste(tables, collapse = ",\n"), paste(mc, collapse = ",\n")))
