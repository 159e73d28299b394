"""Nothing registered: requests and swaps are decided in the app, with history, by the
people of the program; the operators' admin has no business changing them."""
