return {
  name = "broken",
  start = "2026Q3"
  rounds = 4,
}
