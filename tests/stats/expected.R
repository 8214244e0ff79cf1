#!/usr/bin/env Rscript
## Independent reference values for the dachieu poverty-statistics engine,
## computed with R's `survey` package (Lumley).
##
##   python3 tests/stats/make_fixture.py && Rscript tests/stats/expected.R
##
## Reads  tests/stats/fixture/households.csv  and  tests/stats/hand/households.csv
## Writes tests/stats/expected_{adjust,remove,certainty}.csv,
##        tests/stats/expected_change_{adjust,remove,certainty}.csv,
##        tests/stats/expected_hand.csv
## (paths are relative to this script's directory, so it runs from anywhere).

suppressPackageStartupMessages(library(survey))

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})

IDS <- c("health_access", "health_insurance", "adult_education", "child_schooling",
         "housing_quality", "floor_area", "water_source", "latrine", "telecom",
         "info_assets")
## cut-offs k = num/den; a household is AF-poor iff count/10 >= num/den,
## compared in integers: count * den >= num * 10
KS <- list(list(label = "3/10", tag = "k1", num = 3L, den = 10L),
           list(label = "1/3",  tag = "k2", num = 1L, den = 3L))
POLICIES <- c("adjust", "remove", "certainty")

options(survey.adjust.domain.lonely = FALSE)   # the default, stated explicitly

## ---------------------------------------------------------------- data
read_households <- function(path) {
  df <- read.csv(path, na.strings = "", stringsAsFactors = FALSE,
                 colClasses = c(survey_year = "integer", household_id = "character",
                                province_code = "character", area = "character",
                                household_size = "integer", weight = "numeric",
                                stratum = "character", psu = "character",
                                income_per_capita_month = "numeric"))
  fl <- as.matrix(df[, paste0("dep_", IDS)])
  stopifnot(all(is.na(fl) | fl %in% c(0, 1)))
  stopifnot(all(df$area %in% c("rural", "urban")), all(df$weight > 0))
  d <- as.integer(rowSums(fl == 1, na.rm = TRUE))   # known deprivations
  u <- as.integer(rowSums(is.na(fl)))                # blank flags
  I <- df$income_per_capita_month
  rural <- df$area == "rural"
  P <- ifelse(rural, 700000, 900000)
  N <- ifelse(rural, 1000000, 1300000)
  M <- ifelse(rural, 1500000, 1950000)
  ## Decision 59 union rule; "poor_dep" = poor by the deprivation path
  class_at <- function(cnt) ifelse(I <= P, "poor_inc",
                          ifelse(I <= N, ifelse(cnt >= 3L, "poor_dep", "near_poor"),
                          ifelse(I <= M, "average", "not_poor")))
  c_lo <- class_at(d); c_hi <- class_at(d + u)
  cls <- ifelse(c_lo == c_hi, c_lo, "undetermined")
  df$y_poor    <- as.numeric(cls %in% c("poor_inc", "poor_dep"))
  df$y_near    <- as.numeric(cls == "near_poor")
  df$y_poordep <- as.numeric(cls == "poor_dep")
  df$known <- u == 0L
  ## Alkire-Foster variables; zero for unknown households, which are always
  ## excluded from AF domains by subset(design, known & domain)
  cnt <- ifelse(df$known, d, 0L)
  g <- ifelse(is.na(fl), 0, fl)
  g[!df$known, ] <- 0
  cval <- cnt / 10
  for (j in seq_along(IDS)) df[[paste0("ung_", IDS[j])]] <- g[, j]
  for (kk in KS) {
    pk <- as.numeric(df$known & cnt * kk$den >= kk$num * 10L)
    df[[paste0("pk_", kk$tag)]] <- pk
    df[[paste0("cp_", kk$tag)]] <- cval * pk
    for (j in seq_along(IDS)) {
      df[[paste0("cg_", IDS[j], "_", kk$tag)]] <- g[, j] * pk
      df[[paste0("cn_", IDS[j], "_", kk$tag)]] <- (1 / 10) * g[, j] * pk
    }
    for (pr in sort(unique(df$province_code)))
      df[[paste0("sg_", pr, "_", kk$tag)]] <- cval * pk * (df$province_code == pr)
  }
  for (dd in 1:10) df[[paste0("cal_", dd)]] <- as.numeric(df$known & cnt >= dd)
  df$hw <- df$weight
  df$pw <- df$weight * df$household_size
  df$class <- cls
  df
}

make_designs <- function(df) {
  list(household = svydesign(ids = ~psu, strata = ~stratum, weights = ~hw,
                             data = df, nest = TRUE),
       person    = svydesign(ids = ~psu, strata = ~stratum, weights = ~pw,
                             data = df, nest = TRUE))
}

## ---------------------------------------------------------------- estimators
fml <- function(vars) as.formula(paste("~", paste(vars, collapse = " + ")))

means <- function(des, vars) {
  m <- svymean(fml(vars), des)
  list(est = as.numeric(coef(m))[match(vars, names(coef(m)))],
       se = as.numeric(SE(m))[match(vars, names(coef(m)))])
}

## ratio sum(w*num)/sum(w*den) for several numerators; NA when the denominator
## total of the domain is zero (ratio undefined)
ratios <- function(des, nums, den) {
  if (sum(weights(des) * des$variables[[den]]) == 0)
    return(list(est = rep(NA_real_, length(nums)), se = rep(NA_real_, length(nums))))
  r <- svyratio(fml(nums), fml(den), des)
  ## r$ratio and r$var are (numerators x 1) matrices: each ratio's own
  ## estimate and linearised variance
  stopifnot(identical(dim(r$ratio), c(length(nums), 1L)),
            identical(dim(r$var), c(length(nums), 1L)),
            identical(rownames(r$ratio), nums))
  list(est = as.numeric(r$ratio[, 1]), se = sqrt(as.numeric(r$var[, 1])))
}

row_df <- function(measure, est, se, indicator = "", k = "", deprivations = NA_integer_) {
  data.frame(measure = measure, indicator = indicator, k = k,
             deprivations = deprivations, estimate = est, se = se,
             stringsAsFactors = FALSE)
}

## all measures for one domain; `dom` and `ydom` are logical vectors over the
## design rows (the domain, and the domain's year for subgroup_contribution)
domain_rows <- function(des, dom, ydom, province = NULL) {
  D  <- des[dom, ]                         # same as subset(des, dom)
  DK <- des[dom & des$variables$known, ]   # AF: known households of the domain
  out <- list()
  m <- means(D, c("y_poor", "y_near", "y_poordep"))
  out[[1]] <- row_df(c("poor_rate", "near_poor_rate", "poor_deprivation_rate"), m$est, m$se)
  m <- means(DK, paste0("ung_", IDS))
  out[[2]] <- row_df("uncensored_headcount", m$est, m$se, indicator = IDS)
  m <- means(DK, paste0("cal_", 1:10))
  out[[3]] <- row_df("count_at_least", m$est, m$se, deprivations = 1:10)
  for (kk in KS) {
    m <- means(DK, paste0(c("pk_", "cp_"), kk$tag))
    out[[length(out) + 1]] <- row_df(c("H", "M0"), m$est, m$se, k = kk$label)
    r <- ratios(DK, paste0("cp_", kk$tag), paste0("pk_", kk$tag))
    out[[length(out) + 1]] <- row_df("A", r$est, r$se, k = kk$label)
    m <- means(DK, paste0("cg_", IDS, "_", kk$tag))
    out[[length(out) + 1]] <- row_df("censored_headcount", m$est, m$se,
                                     indicator = IDS, k = kk$label)
    r <- ratios(DK, paste0("cn_", IDS, "_", kk$tag), paste0("cp_", kk$tag))
    out[[length(out) + 1]] <- row_df("contribution", r$est, r$se,
                                     indicator = IDS, k = kk$label)
    if (!is.null(province)) {
      YK <- des[ydom & des$variables$known, ]
      r <- ratios(YK, paste0("sg_", province, "_", kk$tag), paste0("cp_", kk$tag))
      out[[length(out) + 1]] <- row_df("subgroup_contribution", r$est, r$se, k = kk$label)
    }
  }
  do.call(rbind, out)
}

all_rows <- function(designs, df, provinces = sort(unique(df$province_code))) {
  out <- list()
  for (yr in sort(unique(df$survey_year))) {
    ydom <- df$survey_year == yr
    for (lev in names(designs)) {
      des <- designs[[lev]]
      r <- domain_rows(des, ydom, ydom)
      out[[length(out) + 1]] <- cbind(survey_year = yr, level = lev, grouping = "national",
                                       group = "VN", r, stringsAsFactors = FALSE)
      for (pr in provinces) {
        r <- domain_rows(des, ydom & df$province_code == pr, ydom, province = pr)
        out[[length(out) + 1]] <- cbind(survey_year = yr, level = lev, grouping = "province",
                                         group = pr, r, stringsAsFactors = FALSE)
      }
    }
  }
  res <- do.call(rbind, out)
  res[order(res$survey_year, res$level, res$grouping, res$group, res$measure,
            res$indicator, res$k, res$deprivations, method = "radix", na.last = FALSE), ]
}

## ---------------------------------------------------------------- output
fmt <- function(x) {
  x[!is.na(x) & x == 0] <- 0               # no "-0"
  ## formatC() pads some values with leading blanks (e.g. "                 0"):
  ## trim them; the digits are those of C's "%.17g"
  s <- trimws(formatC(x, digits = 17, format = "g"))
  stopifnot(identical(s[!is.na(x)], sprintf("%.17g", x[!is.na(x)])))
  ifelse(is.na(x), "", s)
}

write_rows <- function(res, path) {
  lines <- paste(res$survey_year, res$level, res$grouping, res$group, res$measure,
                 res$indicator, res$k,
                 ifelse(is.na(res$deprivations), "", as.character(res$deprivations)),
                 fmt(res$estimate), fmt(res$se), sep = ",")
  con <- file(path, open = "wb")
  writeLines(c("survey_year,level,grouping,group,measure,indicator,k,deprivations,estimate,se",
               lines), con, sep = "\n")
  close(con)
  cat(sprintf("wrote %s (%d rows)\n", path, nrow(res)))
}

year_change <- function(designs, df) {
  des <- designs$household
  yrs <- sort(unique(df$survey_year))
  stopifnot(length(yrs) == 2)
  specs <- list(list(measure = "H",  var = "pk_k1", k = "3/10", af = TRUE),
                list(measure = "M0", var = "cp_k1", k = "3/10", af = TRUE),
                list(measure = "poor_rate", var = "y_poor", k = "", af = FALSE))
  out <- list()
  for (s in specs) {
    D <- if (s$af) subset(des, known) else des
    b <- svyby(fml(s$var), ~survey_year, D, svymean, covmat = TRUE)
    ## consistency with the per-year domain estimates
    for (i in seq_along(yrs)) {
      Dy <- des[df$survey_year == yrs[i] & (if (s$af) df$known else TRUE), ]
      m <- svymean(fml(s$var), Dy)
      stopifnot(isTRUE(all.equal(as.numeric(coef(b))[i], as.numeric(coef(m)), tolerance = 1e-12)),
                isTRUE(all.equal(as.numeric(SE(b))[i], as.numeric(SE(m)), tolerance = 1e-12)))
    }
    cc <- svycontrast(b, c(-1, 1))
    out[[length(out) + 1]] <- data.frame(
      year_from = yrs[1], year_to = yrs[2], level = "household", grouping = "national",
      group = "VN", measure = s$measure, indicator = "", k = s$k,
      estimate = as.numeric(coef(cc)), se = as.numeric(SE(cc)), stringsAsFactors = FALSE)
  }
  res <- do.call(rbind, out)
  res[order(res$measure, res$k, method = "radix"), ]
}

write_change <- function(res, path) {
  lines <- paste(res$year_from, res$year_to, res$level, res$grouping, res$group,
                 res$measure, res$indicator, res$k, fmt(res$estimate), fmt(res$se),
                 sep = ",")
  con <- file(path, open = "wb")
  writeLines(c("year_from,year_to,level,grouping,group,measure,indicator,k,estimate,se",
               lines), con, sep = "\n")
  close(con)
  cat(sprintf("wrote %s (%d rows)\n", path, nrow(res)))
}

## ---------------------------------------------------------------- main
cat(R.version.string, "| survey", as.character(packageVersion("survey")), "\n")

df <- read_households(file.path(script_dir, "fixture", "households.csv"))
cat(sprintf("fixture: %d households, %d known for AF\n", nrow(df), sum(df$known)))

for (pol in POLICIES) {
  options(survey.lonely.psu = pol)
  designs <- make_designs(df)
  write_rows(all_rows(designs, df), file.path(script_dir, sprintf("expected_%s.csv", pol)))
  write_change(year_change(designs, df),
               file.path(script_dir, sprintf("expected_change_%s.csv", pol)))
}

## "fail" must refuse the lonely stratum
options(survey.lonely.psu = "fail")
designs <- make_designs(df)
msg <- tryCatch({ svymean(~y_poor, designs$household[df$survey_year == 2020, ]); NULL },
                error = function(e) conditionMessage(e))
if (is.null(msg)) stop("survey.lonely.psu = \"fail\" did not fail on the lonely stratum")
cat(sprintf("survey.lonely.psu = \"fail\" errors as expected: %s\n", msg))

## hand-sized example (policy adjust; it has no lonely stratum)
options(survey.lonely.psu = "adjust")
hd <- read_households(file.path(script_dir, "hand", "households.csv"))
hdes <- make_designs(hd)$household
hr <- domain_rows(hdes, rep(TRUE, nrow(hd)), rep(TRUE, nrow(hd)))
hr <- hr[(hr$measure %in% c("H", "M0") & hr$k == "3/10") | hr$measure == "poor_rate", ]
hr <- cbind(survey_year = 2020L, level = "household", grouping = "national", group = "VN",
            hr, stringsAsFactors = FALSE)
hr <- hr[order(hr$measure, hr$indicator, hr$k, method = "radix"), ]
## the values derived by hand in tests/stats/hand/README.md
hand <- c(H = 5 / 11, M0 = 22 / 110, poor_rate = 50 / 130)
hand_se <- c(H = sqrt(424) / 121, M0 = sqrt(90) / 110, poor_rate = sqrt(866) / 169)
stopifnot(isTRUE(all.equal(hr$estimate, unname(hand[hr$measure]), tolerance = 1e-14)),
          isTRUE(all.equal(hr$se, unname(hand_se[hr$measure]), tolerance = 1e-14)))
cat("hand example: R agrees with the hand computation\n")
write_rows(hr, file.path(script_dir, "expected_hand.csv"))
