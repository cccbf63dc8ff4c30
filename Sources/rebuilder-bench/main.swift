BenchOptions.main()
