namespace electsim::scenarios {}
