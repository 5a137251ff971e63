VALUE = "first"
