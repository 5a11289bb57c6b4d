print("ecrm")
