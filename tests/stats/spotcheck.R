#!/usr/bin/env Rscript
## Spot-check of expected_*.csv by an independent computation in base R
## (no `survey` package): linearised variables, PSU totals with rowsum(),
## and the with-replacement stratified formula
##     v = sum_h n_h/(n_h - 1) * sum_c (t_hc - tbar_h)^2     (n_h >= 2)
## with the lonely stratum (n_h = 1) contributing t_h1^2 under "adjust"
## (survey centres it at the grand mean, which is 0 for a linearised
## variable) and 0 under "remove"/"certainty".
##
##   Rscript tests/stats/spotcheck.R      (after expected.R)

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})

df <- read.csv(file.path(script_dir, "fixture", "households.csv"), na.strings = "",
               colClasses = c(province_code = "character", stratum = "character",
                              psu = "character", area = "character"))
fl <- as.matrix(df[, grep("^dep_", names(df))])
known <- rowSums(is.na(fl)) == 0
cnt <- rowSums(fl == 1, na.rm = TRUE)
d_hi <- cnt + rowSums(is.na(fl))
I <- df$income_per_capita_month
ru <- df$area == "rural"
P <- ifelse(ru, 7e5, 9e5); N <- ifelse(ru, 1e6, 1.3e6)
poor_at <- function(k) I <= P | (I <= N & k >= 3)
poor <- poor_at(cnt) & poor_at(d_hi)   # determined poor (poor at d and at d+u)

## one stratified with-replacement variance of a linearised variable z
## (z = 0 outside the domain; all rows of both years)
strat_var <- function(z, policy) {
  key <- paste(df$stratum, df$psu, sep = "|")
  t <- rowsum(z, key)[, 1]
  st <- sub("\\|.*$", "", names(t))
  v <- 0
  for (h in unique(st)) {
    th <- t[st == h]
    n <- length(th)
    if (n >= 2) v <- v + n / (n - 1) * sum((th - mean(th))^2)
    else if (policy == "adjust") v <- v + th^2
  }
  v
}
lin_mean <- function(y, w, dom) {
  W <- sum(w[dom]); m <- sum((w * y)[dom]) / W
  list(est = m, z = ifelse(dom, w * (y - m) / W, 0))
}
lin_ratio <- function(y, x, w, dom) {
  X <- sum((w * x)[dom]); R <- sum((w * y)[dom]) / X
  list(est = R, z = ifelse(dom, w * (y - R * x) / X, 0))
}

expected <- function(policy, key) {
  e <- read.csv(file.path(script_dir, sprintf("expected_%s.csv", policy)),
                colClasses = "character")
  k <- do.call(paste, c(e[, 1:8], sep = ","))
  i <- match(key, k)
  if (is.na(i)) stop("no row ", key)
  c(est = as.numeric(e$estimate[i]), se = as.numeric(e$se[i]))
}
expected_change <- function(policy, measure) {
  e <- read.csv(file.path(script_dir, sprintf("expected_change_%s.csv", policy)),
                colClasses = "character")
  i <- which(e$measure == measure)
  c(est = as.numeric(e$estimate[i]), se = as.numeric(e$se[i]))
}

ok <- TRUE
report <- function(label, mine_est, mine_se, exp) {
  de <- abs(mine_est - exp[["est"]]); ds <- abs(mine_se - exp[["se"]])
  good <- de <= 1e-13 * max(1, abs(mine_est)) && ds <= 1e-12 * max(1e-300, mine_se)
  cat(sprintf("%-58s est %.17g  se %.17g | expected se %.17g | %s\n", label,
              mine_est, mine_se, exp[["se"]], if (good) "OK" else "MISMATCH"))
  if (!good) ok <<- FALSE
}

w <- df$weight; pw <- df$weight * df$household_size
y20 <- df$survey_year == 2020; y21 <- df$survey_year == 2021
pk <- as.numeric(known & cnt >= 3); cp <- ifelse(known, cnt / 10, 0) * pk

for (pol in c("adjust", "remove", "certainty")) {
  m <- lin_mean(as.numeric(poor), w, y20)
  report(paste(pol, "2020 household VN poor_rate"), m$est, sqrt(strat_var(m$z, pol)),
         expected(pol, "2020,household,national,VN,poor_rate,,,"))
  m <- lin_mean(pk, w, y20 & known)
  report(paste(pol, "2020 household VN H 3/10"), m$est, sqrt(strat_var(m$z, pol)),
         expected(pol, "2020,household,national,VN,H,,3/10,"))
  m <- lin_mean(as.numeric(known & 3 * cnt >= 10), w, y20 & known)
  report(paste(pol, "2020 household VN H 1/3"), m$est, sqrt(strat_var(m$z, pol)),
         expected(pol, "2020,household,national,VN,H,,1/3,"))
  m <- lin_mean(cp, w, y20 & known)
  report(paste(pol, "2020 household VN M0 3/10"), m$est, sqrt(strat_var(m$z, pol)),
         expected(pol, "2020,household,national,VN,M0,,3/10,"))
  r <- lin_ratio(cp, pk, pw, y21 & known & df$province_code == "01")
  report(paste(pol, "2021 person 01 A 3/10 (lonely stratum)"), r$est,
         sqrt(strat_var(r$z, pol)), expected(pol, "2021,person,province,01,A,,3/10,"))
  g <- ifelse(known, fl[, "dep_latrine"], 0)
  r <- lin_ratio(g * pk / 10, cp, w, y20 & known & df$province_code == "89")
  report(paste(pol, "2020 household 89 contribution latrine 3/10"), r$est,
         sqrt(strat_var(r$z, pol)),
         expected(pol, "2020,household,province,89,contribution,latrine,3/10,"))
  r <- lin_ratio(cp * (df$province_code == "11"), cp, w, y20 & known)
  report(paste(pol, "2020 household 11 subgroup_contribution 3/10"), r$est,
         sqrt(strat_var(r$z, pol)),
         expected(pol, "2020,household,province,11,subgroup_contribution,,3/10,"))
  ## year change: the two years' linearised variables share the panel PSUs
  a <- lin_mean(pk, w, y20 & known); b <- lin_mean(pk, w, y21 & known)
  report(paste(pol, "change 2021-2020 household VN H 3/10"), b$est - a$est,
         sqrt(strat_var(b$z - a$z, pol)), expected_change(pol, "H"))
  a <- lin_mean(as.numeric(poor), w, y20); b <- lin_mean(as.numeric(poor), w, y21)
  report(paste(pol, "change 2021-2020 household VN poor_rate"), b$est - a$est,
         sqrt(strat_var(b$z - a$z, pol)), expected_change(pol, "poor_rate"))
}
if (!ok) stop("spot-check failed")
cat("spot-check: all agree\n")
