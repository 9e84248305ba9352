namespace electsim::reports {}
