#!/usr/bin/env Rscript
# Reference values for the Statistics tests, computed by R (Debian's r-base-core). Rerun only when fixtures change:
#   Rscript scripts/make_statistics_fixtures.R > Tests/StatisticsTests/Fixtures/r_reference.json
# Writes JSON by hand (base R has no JSON writer) with 17 significant digits.
set.seed(20251123)
num <- function(x) ifelse(is.na(x) | !is.finite(x), "null", sprintf("%.17g", x))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ", "), "]")

tables <- list()
shapes <- list(c(2,2), c(2,3), c(3,2), c(2,5), c(3,3), c(3,4), c(4,4), c(4,5), c(5,6), c(2,6))
for (s in shapes) for (k in 1:4) {
  n_target <- c(12, 40, 150, 5000)[k]
  p <- matrix(rexp(s[1] * s[2]), s[1]); p <- p / sum(p)
  m <- matrix(rmultinom(1, n_target, as.vector(p)), s[1])
  if (k == 1 && s[1] * s[2] > 4) m[1, 1] <- 0
  tables[[length(tables) + 1]] <- m
}
# Edge cases: zero cells, tiny expected counts, an empty row (dropped before testing), a 2x2 with |O-E| < 0.5.
tables[[length(tables) + 1]] <- matrix(c(0, 5, 5, 0), 2)
tables[[length(tables) + 1]] <- matrix(c(1, 0, 0, 1, 1, 0), 2)
tables[[length(tables) + 1]] <- matrix(c(3, 0, 4, 0, 0, 0, 2, 5, 1), 3, byrow = TRUE)
tables[[length(tables) + 1]] <- matrix(c(10, 10, 10, 11), 2)
tables[[length(tables) + 1]] <- matrix(c(20, 9, 1, 0, 15, 0, 4, 0), 2, byrow = TRUE)
tables[[length(tables) + 1]] <- matrix(c(500, 100, 80, 700), 2)

out <- c()
for (m in tables) {
  kept <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  ct <- suppressWarnings(chisq.test(kept, correct = FALSE))
  e <- ct$expected
  g <- 2 * sum(ifelse(kept > 0, kept * log(kept / e), 0))
  v <- sqrt(unname(ct$statistic) / (sum(kept) * (min(dim(kept)) - 1)))
  yates <- if (all(dim(kept) == 2)) suppressWarnings(chisq.test(kept, correct = TRUE)) else NULL
  fisher <- if (sum(kept) <= 45 || (min(dim(kept)) == 2 && sum(kept) <= 200)) fisher.test(kept, workspace = 2e8)$p.value else NA
  out <- c(out, sprintf(paste0('{"table": %s, "statistic": %s, "df": %d, "p": %s, "expected": %s, ',
                               '"stdres": %s, "g": %s, "g_p": %s, "cramers_v": %s, "yates_statistic": %s, ',
                               '"yates_p": %s, "fisher_p": %s}'),
                        mat(m), num(unname(ct$statistic)), as.integer(ct$parameter), num(ct$p.value), mat(e),
                        mat(ct$stdres), num(g), num(pchisq(g, ct$parameter, lower.tail = FALSE)), num(v),
                        if (is.null(yates)) "null" else num(unname(yates$statistic)),
                        if (is.null(yates)) "null" else num(yates$p.value), num(fisher)))
}

pv <- c(0.01, 0.04, NA, 0.03, 0.005, 0.5, 0.2, 0.04, 0.9, 1e-8)
adjust <- sprintf('{"p": %s, "holm": %s, "bh": %s}', vec(pv), vec(p.adjust(pv, "holm")), vec(p.adjust(pv, "BH")))

wilson <- c()
for (xn in list(c(0, 10), c(1, 10), c(5, 10), c(10, 10), c(22, 30), c(8, 19), c(15, 19), c(0, 1), c(123, 4567))) {
  ci <- prop.test(xn[1], xn[2], correct = FALSE)$conf.int
  wilson <- c(wilson, sprintf('{"x": %d, "n": %d, "lower": %s, "upper": %s}', xn[1], xn[2], num(ci[1]), num(ci[2])))
}

power <- c()
for (a in list(c(0.1, 49, 1), c(0.3, 49, 1), c(0.5, 49, 4), c(0.3, 200, 3), c(0.2, 1000, 5), c(0.8, 20, 2))) {
  crit <- qchisq(0.05, a[3], lower.tail = FALSE)
  power <- c(power, sprintf('{"w": %s, "n": %s, "df": %d, "critical": %s, "power": %s}', num(a[1]), num(a[2]),
                            as.integer(a[3]), num(crit), num(pchisq(crit, a[3], ncp = a[2] * a[1]^2, lower.tail = FALSE))))
}

tails <- c()
for (a in list(c(1370, 3), c(700, 1), c(30, 2), c(0.5, 10), c(100, 50), c(3.84, 1), c(1e-3, 4))) {
  tails <- c(tails, sprintf('{"x": %s, "df": %s, "upper": %s}', num(a[1]), num(a[2]), num(pchisq(a[1], a[2], lower.tail = FALSE))))
}

# Monte Carlo p-values (R's simulate.p.value, B = 200000): our estimate must fall within 4 combined SEs.
montecarlo <- c()
for (m in list(matrix(c(20, 9, 1, 15, 0, 4), 2, byrow = TRUE), matrix(c(3, 1, 0, 2, 5, 1, 0, 4, 6), 3),
               matrix(c(22, 8, 0, 12, 2, 5), 2, byrow = TRUE), matrix(c(1, 4, 2, 6, 0, 3, 2, 2), 2))) {
  b <- 200000
  pm <- chisq.test(m, simulate.p.value = TRUE, B = b)$p.value
  montecarlo <- c(montecarlo, sprintf('{"table": %s, "replicates": %d, "p": %s}', mat(m), b, num(pm)))
}

cat(sprintf('{"r_version": "%s",\n"tables": [\n%s],\n"adjust": %s,\n"wilson": [%s],\n"power": [%s],\n"tails": [%s],\n"montecarlo": [%s]}\n',
            R.version.string, paste(out, collapse = ",\n"), adjust, paste(wilson, collapse = ", "),
            paste(power, collapse = ", "), paste(tails, collapse = ", "), paste(montecarlo, collapse = ", ")))
