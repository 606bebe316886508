DROP TABLE hydra_jwk;
