#!/usr/bin/env Rscript
## Reference values for dachieu's domain estimates (`tables --where`,
## `--province`), computed with R's `survey` package on the fixture of
## expected.R, whose functions (data preparation, estimators, output) it
## reuses: everything of expected.R before its "main" section is evaluated.
##
##   Rscript tests/stats/domain.R
##
## Writes tests/stats/expected_domain_where.csv and
##        tests/stats/expected_domain_province.csv (policy adjust).
##
## A domain is always `des[dom, ]` (= subset(design, dom)) of the full
## design: households outside it keep their stratum and PSU, so a PSU
## with no household in the domain still counts in its stratum's n_h.
##
## * where:    household_size = 1 (`--where household_size=1`), which
##             leaves 5 of the 40 PSUs of 2020 and 8 of 2021 with no
##             household in the domain; grouped by province and by stratum
##             (a text column: `--by province,stratum`)
## * province: provinces 11 and 79 (`--province 11,79`), grouped by area

suppressPackageStartupMessages(library(survey))

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})

## expected.R's definitions, without its main section
src <- readLines(file.path(script_dir, "expected.R"))
main <- grep("^## -+ main", src)
stopifnot(length(main) == 1)
eval(parse(text = src[seq_len(main - 1)]))

options(survey.lonely.psu = "adjust")
df <- read_households(file.path(script_dir, "fixture", "households.csv"))

## A name R's formulas accept, for a group value such as "01-rural".
key <- function(v) paste0("g", gsub("[^A-Za-z0-9]", "", v))

## Subgroup-contribution numerators for the groups of `column`:
## c * poor_k * I(group = g), under the names domain_rows() reads.
add_shares <- function(df, column) {
  for (g in sort(unique(df[[column]])))
    for (kk in KS)
      df[[paste0("sg_", key(g), "_", kk$tag)]] <- df[[paste0("cp_", kk$tag)]] * (df[[column]] == g)
  df
}

## Every measure, per year and weighting, for the domain `dom` (its rows
## "national", group VN) and for each group of each column in `by`.
domain_table <- function(df, dom, by) {
  for (column in by) df <- add_shares(df, column)
  designs <- make_designs(df)
  out <- list()
  for (yr in sort(unique(df$survey_year))) {
    ydom <- df$survey_year == yr & dom
    for (lev in names(designs)) {
      des <- designs[[lev]]
      r <- domain_rows(des, ydom, ydom)
      out[[length(out) + 1]] <- cbind(survey_year = yr, level = lev, grouping = "national",
                                       group = "VN", r, stringsAsFactors = FALSE)
      for (column in by) {
        grouping <- if (column == "province_code") "province" else column
        for (g in sort(unique(df[[column]][ydom]))) {
          r <- domain_rows(des, ydom & df[[column]] == g, ydom, province = key(g))
          out[[length(out) + 1]] <- cbind(survey_year = yr, level = lev, grouping = grouping,
                                           group = g, r, stringsAsFactors = FALSE)
        }
      }
    }
  }
  res <- do.call(rbind, out)
  res[order(res$survey_year, res$level, res$grouping, res$group, res$measure,
            res$indicator, res$k, res$deprivations, method = "radix", na.last = FALSE), ]
}

cat(R.version.string, "| survey", as.character(packageVersion("survey")), "\n")

small <- df$household_size == 1L
cat(sprintf("where household_size = 1: %d of %d households\n", sum(small), nrow(df)))
write_rows(domain_table(df, small, c("province_code", "stratum")),
           file.path(script_dir, "expected_domain_where.csv"))

two <- df$province_code %in% c("11", "79")
cat(sprintf("provinces 11, 79: %d of %d households\n", sum(two), nrow(df)))
write_rows(domain_table(df, two, "area"),
           file.path(script_dir, "expected_domain_province.csv"))

## The domain is not a separate design: a design of the domain's rows
## alone gives other standard errors (its strata lose the PSUs that have
## no household of one person), which is what the engine must not do.
des <- make_designs(df)$household
d_sub <- des[df$survey_year == 2020 & small, ]
alone <- df[df$survey_year == 2020 & small, ]
d_alone <- svydesign(ids = ~psu, strata = ~stratum, weights = ~hw, data = alone, nest = TRUE)
se_sub <- as.numeric(SE(svymean(~y_poor, d_sub)))
se_alone <- as.numeric(SE(svymean(~y_poor, d_alone)))
cat(sprintf("poor_rate 2020, households of one: SE as a domain %.17g, as a design of its own %.17g\n",
            se_sub, se_alone))
stopifnot(abs(se_sub - se_alone) > 1e-6 * se_sub)
