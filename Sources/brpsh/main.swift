import App

BrpshCommand.main()
