namespace electsim::faults {}
