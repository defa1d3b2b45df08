library(testthat)
library(digimaturity)

test_check("digimaturity")
