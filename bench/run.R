# Runs every benchmark in bench/ (make bench). Each script prints its own table.
for (f in sort(list.files("bench", pattern = "^bench-.*\\.R$", full.names = TRUE))) {
  cat("\n##", f, "\n\n")
  source(f, local = new.env())
}
