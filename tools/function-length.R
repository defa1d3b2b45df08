# Keeps CONTRIBUTING.md's size rule: no R function over 80 lines and no C++ function over
# 100 lines unless the comment block right above it says why, in a line that starts with
# "# Long:" (R) or "// Long:" (C++). Run by `make test` before the check; exits 1 and lists
# the offenders when one is found. Usage: Rscript tools/function-length.R [root]
args <- commandArgs(TRUE)
root <- if (length(args)) args[1] else "."
limit_r <- 80L
limit_cpp <- 100L

# The comment block directly above line `at` (blank lines end it; roxygen lines belong to it).
comment_above <- function(lines, at, prefix) {
  out <- character()
  i <- at - 1L
  while (i >= 1L && grepl(paste0("^\\s*", prefix), lines[i])) {
    out <- c(lines[i], out)
    i <- i - 1L
  }
  out
}

# Top-level R functions: `name <- function(` assignments found by the parser, with their
# extent from the source references.
r_functions <- function(file) {
  exprs <- parse(file, keep.source = TRUE)
  refs <- attr(exprs, "srcref")
  lines <- readLines(file, warn = FALSE)
  res <- list()
  for (i in seq_along(exprs)) {
    e <- exprs[[i]]
    if (is.call(e) && (identical(e[[1]], as.name("<-")) || identical(e[[1]], as.name("="))) &&
        is.call(e[[3]]) &&
        identical(e[[3]][[1]], as.name("function"))) {
      first <- refs[[i]][1]
      last <- refs[[i]][3]
      res[[length(res) + 1L]] <- data.frame(
        file = file, name = as.character(e[[2]])[1], lines = last - first + 1L,
        why = any(grepl("^\\s*#'?\\s*Long:", comment_above(lines, first, "#"))),
        limit = limit_r, stringsAsFactors = FALSE)
    }
  }
  do.call(rbind, res)
}

# C++ function definitions: a line that opens a body at namespace level (after a line
# ending in `)`, `) const` or similar, or a one-line signature) counted to its closing
# brace. Braces inside strings and comments are ignored; enough for this code base, whose
# style puts a definition's opening brace on the signature line.
cpp_functions <- function(file) {
  lines <- readLines(file, warn = FALSE)
  code <- gsub("//.*$", "", lines)
  code <- gsub("\"([^\"\\\\]|\\\\.)*\"", "\"\"", code)
  code <- gsub("'([^'\\\\]|\\\\.)*'", "''", code)
  res <- list()
  depth <- 0L
  ns_depth <- 0L      # braces opened by namespaces, extern "C", structs/classes
  scopes <- character()
  start <- NA_integer_
  name <- NA_character_
  for (i in seq_along(code)) {
    l <- code[i]
    opens <- lengths(regmatches(l, gregexpr("\\{", l)))
    closes <- lengths(regmatches(l, gregexpr("\\}", l)))
    if (is.na(start) && opens > 0L) {
      # a scope that is not a function body: namespace, class, struct, enum, extern "C"
      if (grepl("^\\s*(namespace|struct|class|enum|union|extern)\\b", l) ||
          grepl("^\\s*(template\\s*<[^>]*>\\s*)?(struct|class)\\b", l)) {
        # not a function: keep going
      } else if (grepl("\\)\\s*(const)?\\s*(noexcept)?\\s*(override)?\\s*(->[^{]*)?\\{", l) ||
                 (grepl("^\\s*\\{", l) && i > 1 && grepl("\\)\\s*(const)?\\s*$", code[i - 1]))) {
        if (!grepl("^\\s*(if|for|while|switch|else|do|catch|try)\\b", l) &&
            !grepl("=\\s*\\[", l) && !grepl("\\[[^]]*\\]\\s*\\(", l)) {
          # the signature may start on an earlier line
          s <- i
          while (s > 1 && !grepl("\\(", code[s]) ) s <- s - 1L
          while (s > 1 && grepl("^\\s+\\S", code[s]) && !grepl("^\\S", code[s]) &&
                 grepl("[,(]\\s*$", code[s - 1])) s <- s - 1L
          start <- s
          name <- sub(".*?([A-Za-z_][A-Za-z0-9_:~]*)\\s*\\(.*", "\\1", code[s], perl = TRUE)
          depth <- 0L
        }
      }
    }
    if (!is.na(start)) {
      depth <- depth + opens - closes
      if (depth <= 0L && (opens + closes) > 0L) {
        res[[length(res) + 1L]] <- data.frame(
          file = file, name = name, lines = i - start + 1L,
          why = any(grepl("^\\s*//\\s*Long:", comment_above(lines, start, "//"))),
          limit = limit_cpp, stringsAsFactors = FALSE)
        start <- NA_integer_
      }
    }
  }
  do.call(rbind, res)
}

rfiles <- list.files(file.path(root, "R"), "\\.R$", full.names = TRUE)
rfiles <- rfiles[basename(rfiles) != "RcppExports.R"]
cfiles <- list.files(file.path(root, "src"), "\\.(cpp|h)$", full.names = TRUE)
cfiles <- cfiles[basename(cfiles) != "RcppExports.cpp"]
all <- do.call(rbind, c(lapply(rfiles, r_functions), lapply(cfiles, cpp_functions)))
long <- all[all$lines > all$limit, ]
bad <- long[!long$why, ]
if ("--list" %in% args) print(long[order(-long$lines), ], row.names = FALSE)
if (nrow(bad)) {
  cat(sprintf("%s: %s() has %d lines (limit %d) and no \"Long:\" comment above it saying why\n",
              sub(paste0("^", root, "/"), "", bad$file), bad$name, bad$lines, bad$limit), sep = "")
  quit(status = 1)
}
cat(sprintf("function sizes: %d R and C++ functions, %d over the limit, each with a reason\n",
            nrow(all), nrow(long)))
